"""Campaigns: a campaign's status, its review mode, the status of each run and the outcome of each item a
run made, each with its transition table."""

from __future__ import annotations

from enum import StrEnum

from domain import transitions


class CampaignStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    ENDED = "ended"


class ReviewMode(StrEnum):
    # Items wait in the review queue and go out at their slot only if approved by then.
    REQUIRED = "required"
    # Items are approved without a person and scheduled for their slot.
    AUTO = "auto"


class CampaignRunStatus(StrEnum):
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"


class RunItemOutcome(StrEnum):
    AWAITING_REVIEW = "awaiting_review"
    SCHEDULED = "scheduled"
    PUBLISHED = "published"
    SKIPPED_UNAPPROVED = "skipped_unapproved"
    FAILED = "failed"


_C = CampaignStatus
CAMPAIGN_TRANSITIONS: dict[CampaignStatus, frozenset[CampaignStatus]] = {
    _C.ACTIVE: frozenset({_C.PAUSED, _C.ENDED}),
    _C.PAUSED: frozenset({_C.ACTIVE, _C.ENDED}),
    # Ended is for good: its Schedule is deleted, a new campaign starts a new one.
    _C.ENDED: frozenset(),
}

_R = CampaignRunStatus
RUN_TRANSITIONS: dict[CampaignRunStatus, frozenset[CampaignRunStatus]] = {
    _R.RUNNING: frozenset({_R.COMPLETED, _R.FAILED}),
    _R.COMPLETED: frozenset(),
    _R.FAILED: frozenset(),
}

_O = RunItemOutcome
OUTCOME_TRANSITIONS: dict[RunItemOutcome, frozenset[RunItemOutcome]] = {
    _O.AWAITING_REVIEW: frozenset({_O.SCHEDULED, _O.PUBLISHED, _O.SKIPPED_UNAPPROVED, _O.FAILED}),
    _O.SCHEDULED: frozenset({_O.PUBLISHED, _O.FAILED}),
    _O.PUBLISHED: frozenset(),
    _O.SKIPPED_UNAPPROVED: frozenset(),
    _O.FAILED: frozenset(),
}

FINISHED_RUN_STATUSES = transitions.terminal(RUN_TRANSITIONS)
SETTLED_OUTCOMES = transitions.terminal(OUTCOME_TRANSITIONS)


def check_campaign_transition(current: str, new: CampaignStatus) -> None:
    transitions.check_transition(CAMPAIGN_TRANSITIONS, "campaign", current, new)


def can_campaign_transition(current: str, new: CampaignStatus) -> bool:
    return transitions.can_transition(CAMPAIGN_TRANSITIONS, current, new)


def can_outcome_transition(current: str, new: RunItemOutcome) -> bool:
    return transitions.can_transition(OUTCOME_TRANSITIONS, current, new)


def can_run_transition(current: str, new: CampaignRunStatus) -> bool:
    return transitions.can_transition(RUN_TRANSITIONS, current, new)
