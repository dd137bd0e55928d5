"""Batch read model: counts by item status, and the items themselves where asked for."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from core.casing import camelize
from core.wire import Schema
from domain.batches import BatchItemStatus, BatchKind, BatchStatus
from providers.storage.base import MediaStorage
from store.models import Batch, BatchItem


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


def batch_out(
    batch: Batch,
    storage: MediaStorage,
    *,
    items: Sequence[BatchItem] | None = None,
    counts: Mapping[str, int] | None = None,
) -> BatchOut:
    """Counts from ``counts`` (one grouped query for a list) or from ``items`` (one batch, items shown)."""
    tally: Mapping[str, int] = Counter(item.status for item in items or []) if counts is None else counts
    return BatchOut(
        id=batch.id,
        kind=batch.kind,
        status=batch.status,
        counts=BatchCounts(
            total=batch.total,
            completed=tally.get(BatchItemStatus.COMPLETED, 0),
            failed=tally.get(BatchItemStatus.FAILED, 0),
            cancelled=tally.get(BatchItemStatus.CANCELLED, 0),
            pending=tally.get(BatchItemStatus.PENDING, 0),
            running=tally.get(BatchItemStatus.RUNNING, 0),
        ),
        influencer_id=batch.influencer_id,
        profile_id=batch.profile_id,
        params=camelize(batch.params or {}),
        workflow_id=batch.workflow_id,
        run_id=batch.run_id,
        error=batch.error,
        items=None
        if items is None
        else [
            BatchItemOut(
                position=item.position,
                status=item.status,
                result_id=item.result_id,
                media_url=storage.url(item.media_key) if item.media_key else None,
                error_code=item.error_code,
                error=item.error,
            )
            for item in items
        ],
        created_at=batch.created_at,
        started_at=batch.started_at,
        finished_at=batch.finished_at,
    )
