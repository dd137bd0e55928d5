"""Contracts of campaigns: one Temporal Schedule per campaign (``campaign-<id>``) whose every action starts a
``CampaignRunWorkflow``; the run's inputs and the results of its bookkeeping steps."""

from __future__ import annotations

from datetime import datetime

from contracts.base import Contract
from contracts.generation import BatchInput
from contracts.publishing import PublishInput
from domain.campaigns import ReviewMode, RunItemOutcome

CAMPAIGN_RUN_WORKFLOW = "CampaignRunWorkflow"


def campaign_schedule_id(campaign_id: str) -> str:
    return f"campaign-{campaign_id}"


def campaign_run_workflow_id(campaign_id: str, slot_at: datetime) -> str:
    """The id of a run started by ``/trigger`` for a slot: a second trigger of the same slot is refused."""
    return f"campaign-{campaign_id}-slot-{slot_at:%Y%m%dT%H%MZ}"


class CampaignRunInput(Contract):
    campaign_id: str
    account_id: str
    # Set by /trigger (run this slot now). A Schedule's action leaves it unset: the run finds its slot from
    # the time it was fired for (Temporal's TemporalScheduledStartTime), or ``fired_at`` when a test gives it.
    slot_at: datetime | None = None
    fired_at: datetime | None = None


class BeginRunInput(Contract):
    campaign_id: str
    account_id: str
    slot_at: datetime | None
    fired_at: datetime
    workflow_id: str
    task_queue: str


class RunPlan(Contract):
    """What a run does; ``run_id`` is None when there is nothing to do (``skipped`` says why)."""

    run_id: str | None = None
    skipped: str | None = None
    slot_at: datetime | None = None
    review: ReviewMode = ReviewMode.REQUIRED
    batch: BatchInput | None = None


class RunRef(Contract):
    run_id: str


class HandOff(Contract):
    """The publishes a run hands to the publishing workflow, each already recorded as publication rows."""

    publishes: list[PublishInput]


class StartFailed(Contract):
    content_id: str
    message: str


class FinishRunInput(Contract):
    run_id: str
    start_failures: list[StartFailed] = []
    error: str | None = None


class CampaignRunResult(Contract):
    run_id: str | None
    slot_at: datetime | None
    skipped: str | None = None
    outcomes: dict[str, RunItemOutcome] = {}
