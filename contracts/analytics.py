"""Contracts of the analytics sync: the workflow's name, its id and its Schedule's id (both derived from the
connected account), the Schedule itself, and the inputs and results of its steps."""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import Field
from temporalio.client import (
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleIntervalSpec,
    ScheduleOverlapPolicy,
    SchedulePolicy,
    ScheduleSpec,
    ScheduleState,
)

from contracts.base import Contract
from contracts.search import search_attributes
from domain.analytics import SyncOutcome

ANALYTICS_SYNC_WORKFLOW = "AnalyticsSyncWorkflow"
DEFAULT_LOOKBACK_DAYS = 30
SYNC_PAGE_SIZE = 50


def analytics_schedule_id(social_account_id: str) -> str:
    return f"analytics-sync-{social_account_id}"


def analytics_workflow_id(social_account_id: str) -> str:
    """The id of each run (Temporal appends the scheduled time, so runs stay distinct and searchable)."""
    return f"analytics-sync-{social_account_id}"


class AnalyticsSyncInput(Contract):
    owner_account_id: str
    social_account_id: str
    lookback_days: int = Field(default=DEFAULT_LOOKBACK_DAYS, ge=1, le=365)
    page_size: int = Field(default=SYNC_PAGE_SIZE, ge=1, le=200)


class BeginSyncInput(Contract):
    owner_account_id: str
    social_account_id: str


class SyncPlan(Contract):
    """The account as the run found it; ``skip`` says why it reads nothing (needs reauth, gone...)."""

    platform: str | None = None
    skip: SyncOutcome | None = None


class SyncPageInput(Contract):
    owner_account_id: str
    social_account_id: str
    as_of: datetime
    since: datetime
    after: str | None = None
    limit: int = Field(default=SYNC_PAGE_SIZE, ge=1, le=200)


class SyncPageResult(Contract):
    synced: int = 0
    gone: int = 0
    failed: int = 0
    next_after: str | None = None
    needs_reauth: bool = False


class FinishSyncInput(Contract):
    owner_account_id: str
    social_account_id: str
    as_of: datetime
    outcome: SyncOutcome
    posts_synced: int = 0
    posts_gone: int = 0


class AnalyticsSyncResult(Contract):
    social_account_id: str
    as_of: datetime
    outcome: SyncOutcome
    posts_synced: int = 0
    posts_gone: int = 0
    posts_failed: int = 0
    followers: int | None = None


def analytics_schedule(
    owner_account_id: str,
    social_account_id: str,
    *,
    profile_id: str | None,
    task_queue: str,
    every_minutes: int,
    lookback_days: int = DEFAULT_LOOKBACK_DAYS,
) -> Schedule:
    """One Schedule per connected account: a sync every ``every_minutes``, one run at a time (a slow run
    is not stacked with the next), pausable from the Temporal UI."""
    return Schedule(
        action=ScheduleActionStartWorkflow(
            ANALYTICS_SYNC_WORKFLOW,
            AnalyticsSyncInput(
                owner_account_id=owner_account_id, social_account_id=social_account_id, lookback_days=lookback_days
            ),
            id=analytics_workflow_id(social_account_id),
            task_queue=task_queue,
            typed_search_attributes=search_attributes(owner_account_id, profile_id=profile_id),
        ),
        spec=ScheduleSpec(intervals=[ScheduleIntervalSpec(every=timedelta(minutes=every_minutes))]),
        policy=SchedulePolicy(overlap=ScheduleOverlapPolicy.SKIP),
        state=ScheduleState(note=f"analytics sync of connected account {social_account_id}"),
    )
