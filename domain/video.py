"""Videos made from content: the words that describe a render, and the statuses of A/B comparisons."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from domain import transitions
from domain.content_history import StoredRecord

AspectRatio = Literal["9:16", "1:1", "16:9"]
ASPECT_SIZES: dict[str, tuple[int, int]] = {"9:16": (1080, 1920), "1:1": (1080, 1080), "16:9": (1920, 1080)}
Motion = Literal["zoom_in", "zoom_out", "pan_left", "pan_right", "orbit"]
MOTIONS: tuple[Motion, ...] = ("zoom_in", "zoom_out", "pan_left", "pan_right", "orbit")
Pace = Literal["slow", "normal", "fast"]
PACES: tuple[Pace, ...] = ("slow", "normal", "fast")
VariedField = Literal["motion", "hookText", "pace", "captionOverlay"]
VARIANT_LABELS = ("A", "B", "C", "D")
# A content item's ``media_type`` once it presents a video (its image keeps its own key and type).
MEDIA_TYPE_VIDEO = "video"


class ComparisonStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    COMPLETED = "completed"
    PARTIALLY_FAILED = "partially_failed"
    FAILED = "failed"


class VariantStatus(StrEnum):
    PENDING = "pending"
    RENDERING = "rendering"
    COMPLETED = "completed"
    FAILED = "failed"


_C = ComparisonStatus
COMPARISON_TRANSITIONS: dict[ComparisonStatus, frozenset[ComparisonStatus]] = {
    _C.QUEUED: frozenset({_C.RUNNING, _C.FAILED}),
    _C.RUNNING: frozenset({_C.COMPLETED, _C.PARTIALLY_FAILED, _C.FAILED}),
    _C.COMPLETED: frozenset(),
    _C.PARTIALLY_FAILED: frozenset(),
    _C.FAILED: frozenset(),
}

_V = VariantStatus
VARIANT_TRANSITIONS: dict[VariantStatus, frozenset[VariantStatus]] = {
    _V.PENDING: frozenset({_V.RENDERING, _V.FAILED}),
    _V.RENDERING: frozenset({_V.COMPLETED, _V.FAILED}),
    _V.COMPLETED: frozenset(),
    _V.FAILED: frozenset(),
}


def check_comparison_transition(current: str, new: ComparisonStatus) -> None:
    transitions.check_transition(COMPARISON_TRANSITIONS, "video comparison", current, new)


def check_variant_transition(current: str, new: VariantStatus) -> None:
    transitions.check_transition(VARIANT_TRANSITIONS, "video variant", current, new)


def comparison_outcome(*, completed: int, failed: int) -> ComparisonStatus:
    """A finished comparison's status from its variants."""
    if failed == 0:
        return ComparisonStatus.COMPLETED
    if completed == 0:
        return ComparisonStatus.FAILED
    return ComparisonStatus.PARTIALLY_FAILED


class VideoAsset(StoredRecord):
    """A rendered video as a content item or variant stores it (snake_case JSON); the API turns the keys
    into URLs."""

    media_key: str
    poster_key: str
    width: int
    height: int
    duration_seconds: float
    size_bytes: int
    codec: str = "h264"
    content_type: str = "video/mp4"
