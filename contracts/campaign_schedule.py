"""The Temporal Schedule of a campaign, built from its weekly slots: calendar entries in the campaign's
timezone (so daylight-saving changes keep local times) that fire ``leadTime`` before each slot, overlap
policy skip, a catch-up window, no jitter, and the ids an operator filters by in search attributes and memo.

Built here, the one place, for the API (create, update) and for tests that read Temporal's own next action
times back."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from temporalio.client import (
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleCalendarSpec,
    ScheduleOverlapPolicy,
    SchedulePolicy,
    ScheduleRange,
    ScheduleSpec,
    ScheduleState,
)
from temporalio.common import SearchAttributePair, TypedSearchAttributes

from contracts.campaigns import CAMPAIGN_RUN_WORKFLOW, CampaignRunInput, campaign_schedule_id
from contracts.search import CAMPAIGN_ID, search_attributes
from domain.campaign_slots import WeeklySlot, fire_slots


@dataclass(frozen=True)
class CampaignScheduleSpec:
    campaign_id: str
    account_id: str
    name: str
    profile_id: str
    influencer_id: str | None
    social_account_ids: Sequence[str]
    slots: Sequence[WeeklySlot]
    timezone: str
    lead: timedelta
    start_at: datetime | None
    end_at: datetime | None
    paused: bool


def campaign_search_attributes(spec: CampaignScheduleSpec) -> TypedSearchAttributes:
    base = search_attributes(spec.account_id, influencer_id=spec.influencer_id, profile_id=spec.profile_id)
    return TypedSearchAttributes([*base.search_attributes, SearchAttributePair(CAMPAIGN_ID, spec.campaign_id)])


def campaign_memo(spec: CampaignScheduleSpec) -> dict[str, object]:
    return {"campaign": spec.name, "campaignId": spec.campaign_id, "socialAccountIds": list(spec.social_account_ids)}


def _calendars(slots: Sequence[WeeklySlot]) -> list[ScheduleCalendarSpec]:
    """One calendar entry per local time, listing its days (Temporal counts Sunday as 0)."""
    days_by_minute: dict[int, list[int]] = defaultdict(list)
    for slot in slots:
        days_by_minute[slot.minute].append((slot.weekday + 1) % 7)
    return [
        ScheduleCalendarSpec(
            second=[ScheduleRange(0)],
            minute=[ScheduleRange(minute % 60)],
            hour=[ScheduleRange(minute // 60)],
            day_of_week=[ScheduleRange(d) for d in sorted(days)],
            comment="fires leadTime before the campaign's slot",
        )
        for minute, days in sorted(days_by_minute.items())
    ]


def build_campaign_schedule(spec: CampaignScheduleSpec, *, task_queue: str, catchup: timedelta) -> Schedule:
    return Schedule(
        action=ScheduleActionStartWorkflow(
            CAMPAIGN_RUN_WORKFLOW,
            CampaignRunInput(campaign_id=spec.campaign_id, account_id=spec.account_id),
            id=campaign_schedule_id(spec.campaign_id),
            task_queue=task_queue,
            typed_search_attributes=campaign_search_attributes(spec),
            memo=campaign_memo(spec),
        ),
        spec=ScheduleSpec(
            calendars=_calendars(fire_slots(spec.slots, spec.lead)),
            time_zone_name=spec.timezone,
            start_at=spec.start_at,
            end_at=spec.end_at,
            jitter=timedelta(0),
        ),
        policy=SchedulePolicy(overlap=ScheduleOverlapPolicy.SKIP, catchup_window=catchup),
        state=ScheduleState(paused=spec.paused, note=f"campaign {spec.campaign_id}: {spec.name}"),
    )
