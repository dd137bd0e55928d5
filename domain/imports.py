"""Social import jobs: statuses, which move each may make, and how a finished import is judged.

An import is one job over many posts; its outcome comes from its counts, like a batch's from its items:
a post whose media could not be fetched is a ``failed`` count, and any failure among successes makes the
job ``partially_failed``. Posts already in the library (``skipped``) are a success, not a failure."""

from __future__ import annotations

from enum import StrEnum

from domain import transitions


class ImportStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    COMPLETED = "completed"
    PARTIALLY_FAILED = "partially_failed"
    FAILED = "failed"
    CANCELLED = "cancelled"


class ImportPlatform(StrEnum):
    """The platforms an account's history can be imported from."""

    X = "x"
    TIKTOK = "tiktok"
    INSTAGRAM = "instagram"
    SANDBOX = "sandbox"


class LibraryMediaType(StrEnum):
    IMAGE = "image"
    VIDEO = "video"
    TEXT = "text"


_S = ImportStatus
IMPORT_TRANSITIONS: dict[ImportStatus, frozenset[ImportStatus]] = {
    # A job whose workflow could not be started fails straight from the queue.
    _S.QUEUED: frozenset({_S.RUNNING, _S.FAILED, _S.CANCELLED}),
    _S.RUNNING: frozenset({_S.COMPLETED, _S.PARTIALLY_FAILED, _S.FAILED, _S.CANCELLED}),
    _S.COMPLETED: frozenset(),
    _S.PARTIALLY_FAILED: frozenset(),
    _S.FAILED: frozenset(),
    _S.CANCELLED: frozenset(),
}

FINISHED_IMPORT_STATUSES = transitions.terminal(IMPORT_TRANSITIONS)
OPEN_IMPORT_STATUSES = frozenset(ImportStatus) - FINISHED_IMPORT_STATUSES

# Bounds of ``maxPosts``: 5,000 is the largest history one job brings in.
MAX_POSTS_LIMIT = 5000
DEFAULT_MAX_POSTS = 500


def check_import_transition(current: str, new: ImportStatus) -> None:
    transitions.check_transition(IMPORT_TRANSITIONS, "import job", current, new)


def can_import_transition(current: str, new: ImportStatus) -> bool:
    return transitions.can_transition(IMPORT_TRANSITIONS, current, new)


def import_outcome(*, imported: int, skipped: int, failed: int, was_cancelled: bool) -> ImportStatus:
    """A finished import's status from its counts. Nothing to import (an empty history) is a success."""
    if was_cancelled:
        return ImportStatus.CANCELLED
    if failed == 0:
        return ImportStatus.COMPLETED
    if imported + skipped == 0:
        return ImportStatus.FAILED
    return ImportStatus.PARTIALLY_FAILED
