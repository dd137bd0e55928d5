"""Short generation jobs: their kinds and statuses."""

from __future__ import annotations

from enum import StrEnum


class JobKind(StrEnum):
    REGENERATE = "regenerate"
    FINE_TUNE_CAPTION = "fine_tune_caption"
    WARDROBE = "wardrobe"
    ANALYZE_PHOTOS = "analyze_photos"
    CONTENT_DIRECTIONS = "content_directions"


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
