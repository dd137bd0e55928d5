"""Batches and their items: statuses, which move each may make, and how a finished batch is judged.

A settled item (completed, failed, cancelled) stays settled: a step that finishes after its batch was
cancelled and finalised must not bring the item back to life."""

from __future__ import annotations

from enum import StrEnum

from domain import transitions


class BatchKind(StrEnum):
    """What a batch generates: content items, an influencer's reference pack, preview looks, or content items
    that show several of the account's influencers together (a collaboration)."""

    CONTENT = "content"
    REFERENCES = "references"
    PREVIEWS = "previews"
    COLLABORATION = "collaboration"


class BatchStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    COMPLETED = "completed"
    PARTIALLY_FAILED = "partially_failed"
    FAILED = "failed"
    CANCELLED = "cancelled"


class BatchItemStatus(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


_B = BatchStatus
BATCH_TRANSITIONS: dict[BatchStatus, frozenset[BatchStatus]] = {
    # A batch whose workflow could not be started fails straight from the queue.
    _B.QUEUED: frozenset({_B.RUNNING, _B.FAILED, _B.CANCELLED}),
    _B.RUNNING: frozenset({_B.COMPLETED, _B.PARTIALLY_FAILED, _B.FAILED, _B.CANCELLED}),
    _B.COMPLETED: frozenset(),
    _B.PARTIALLY_FAILED: frozenset(),
    _B.FAILED: frozenset(),
    _B.CANCELLED: frozenset(),
}

_I = BatchItemStatus
ITEM_TRANSITIONS: dict[BatchItemStatus, frozenset[BatchItemStatus]] = {
    _I.PENDING: frozenset({_I.RUNNING, _I.FAILED, _I.CANCELLED}),
    _I.RUNNING: frozenset({_I.COMPLETED, _I.FAILED, _I.CANCELLED}),
    _I.COMPLETED: frozenset(),
    _I.FAILED: frozenset(),
    _I.CANCELLED: frozenset(),
}

FINISHED_BATCH_STATUSES = transitions.terminal(BATCH_TRANSITIONS)
SETTLED_ITEM_STATUSES = transitions.terminal(ITEM_TRANSITIONS)
OPEN_ITEM_STATUSES = frozenset(BatchItemStatus) - SETTLED_ITEM_STATUSES


def check_batch_transition(current: str, new: BatchStatus) -> None:
    transitions.check_transition(BATCH_TRANSITIONS, "batch", current, new)


def check_item_transition(current: str, new: BatchItemStatus) -> None:
    transitions.check_transition(ITEM_TRANSITIONS, "batch item", current, new)


def item_sources(new: BatchItemStatus) -> frozenset[BatchItemStatus]:
    """The statuses an item may be in for an update to ``new`` to apply (the conditional UPDATE's filter).
    A settled status is never among them, so repeating a settling update finds nothing to change."""
    return frozenset(s for s in BatchItemStatus if s not in SETTLED_ITEM_STATUSES and transitions.can_transition(
        ITEM_TRANSITIONS, s, new
    ))


def batch_outcome(*, completed: int, failed: int, cancelled: int, was_cancelled: bool) -> BatchStatus:
    """A finished batch's status from its item counts."""
    if was_cancelled or (cancelled and not failed):
        return BatchStatus.CANCELLED
    if failed == 0:
        return BatchStatus.COMPLETED
    if completed == 0:
        return BatchStatus.FAILED
    return BatchStatus.PARTIALLY_FAILED
