"""Batch read model: counts by item status, and the items themselves where asked for."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from api.schemas import Schema

BatchStatusOut = Literal["queued", "running", "completed", "partially_failed", "failed", "cancelled"]
BatchKindOut = Literal["content", "references", "previews"]


class BatchItemOut(Schema):
    position: int
    status: Literal["pending", "running", "completed", "failed", "cancelled"]
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
    kind: BatchKindOut
    status: BatchStatusOut
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
