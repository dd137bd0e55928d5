"""Batch read model: counts by item status, and the items themselves where asked for."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from api.schemas import Schema
from domain.batches import BatchItemStatus, BatchKind, BatchStatus


class BatchItemOut(Schema):
    position: int
    status: BatchItemStatus
    result_id: str | None
    media_url: str | None
    error_code: str | None
    error: str | None


class BatchCounts(Schema):
    total: int
    completed: int
    failed: int
    cancelled: int
    pending: int
    running: int


class BatchOut(Schema):
    id: str
    kind: BatchKind
    status: BatchStatus
    counts: BatchCounts
    influencer_id: str | None
    profile_id: str | None
    params: dict[str, Any]
    workflow_id: str
    run_id: str | None
    error: str | None
    items: list[BatchItemOut] | None = None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
