"""Generation batches: their kinds and statuses."""

from __future__ import annotations

from enum import StrEnum


class BatchKind(StrEnum):
    CONTENT = "content"
    REFERENCES = "references"
    PREVIEWS = "previews"


class BatchStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    COMPLETED = "completed"
    PARTIALLY_FAILED = "partially_failed"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def is_finished(self) -> bool:
        return self in (BatchStatus.COMPLETED, BatchStatus.PARTIALLY_FAILED, BatchStatus.FAILED, BatchStatus.CANCELLED)
