"""Campaign bodies and answers: ``CampaignCreate``, ``CampaignUpdate`` (all optional), ``CampaignOut``,
``CampaignRunOut``. Slots, cron and timezone are checked here, so a bad one is a 422 on its own field."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, field_validator

from core.wire import InputSchema, Schema
from domain.campaign_slots import WeeklySlot, load_timezone, parse_local_time, upcoming
from domain.campaigns import CampaignRunStatus, CampaignStatus, ReviewMode, RunItemOutcome
from domain.cron import slots_from_cron
from domain.publishing import PublicationStatus
from domain.vocabulary import TimeOfDay
from store.models import Campaign, CampaignRun, Publication

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
Tag = Annotated[str, Field(min_length=1, max_length=100)]
LocalTime = Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", examples=["08:00"])]
MIN_LEAD = timedelta(minutes=5)
MAX_LEAD = timedelta(days=7)
NEXT_SLOTS = 5


class SlotIn(InputSchema):
    days: list[Weekday] = Field(min_length=1, max_length=7)
    times: list[LocalTime] = Field(min_length=1, max_length=10, description="Local times, HH:MM")

    @field_validator("times")
    @classmethod
    def _times(cls, value: list[str]) -> list[str]:
        for text in value:
            parse_local_time(text)
        return value


class ScheduleIn(InputSchema):
    """Exactly one of ``slots``, ``cron`` or ``fromRoutines``; ``timezone`` defaults to the profile's."""

    slots: list[SlotIn] | None = Field(None, min_length=1, max_length=20)
    cron: str | None = Field(None, max_length=200, description="Weekly: minute hour * * day-of-week")
    from_routines: bool = Field(False, description="Slots from the influencer's lifestyle routines")
    timezone: str | None = Field(None, max_length=64, description="IANA name, e.g. Europe/Paris")

    @field_validator("cron")
    @classmethod
    def _cron(cls, value: str | None) -> str | None:
        if value is not None:
            slots_from_cron(value)
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str | None) -> str | None:
        if value is not None:
            load_timezone(value)
        return value


def _lead(value: timedelta | None) -> timedelta | None:
    if value is not None and not MIN_LEAD <= value <= MAX_LEAD:
        raise ValueError("leadTime must be between 5 minutes (PT5M) and 7 days (P7D)")
    return value


class Rotation(InputSchema):
    moods: list[Tag] = Field(default_factory=list, max_length=20)
    settings: list[Tag] = Field(default_factory=list, max_length=20)
    times_of_day: list[TimeOfDay] = Field(default_factory=list, max_length=4)
    content_direction_ids: list[Tag] = Field(default_factory=list, max_length=20)


class CampaignCreate(Rotation):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": "Weekday mornings",
                    "profileId": "prof_8k2m4n6p8q0r",
                    "schedule": {
                        "slots": [{"days": ["mon", "tue", "wed", "thu", "fri"], "times": ["08:00", "18:30"]}],
                        "timezone": "Europe/Paris",
                    },
                    "postsPerSlot": 1,
                    "moods": ["sunny", "calm"],
                    "review": "required",
                    "leadTime": "PT2H",
                }
            ]
        }
    )

    name: str = Field(min_length=1, max_length=200)
    profile_id: str = Field(min_length=1, max_length=40)
    account_ids: list[str] | None = Field(None, max_length=20, description="Default: the profile's accounts")
    schedule: ScheduleIn
    posts_per_slot: int = Field(1, ge=1, le=5)
    review: ReviewMode = ReviewMode.REQUIRED
    lead_time: timedelta = Field(timedelta(hours=2), description="ISO 8601 duration (PT2H) or seconds")
    start_at: datetime | None = None
    end_at: datetime | None = None

    _check_lead = field_validator("lead_time")(_lead)


class CampaignUpdate(InputSchema):
    """Fields left out keep their value; a list given replaces that list."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"schedule": {"cron": "0 9 * * 1-5", "timezone": "America/New_York"}, "review": "auto"}]
        }
    )

    name: str | None = Field(None, min_length=1, max_length=200)
    account_ids: list[str] | None = Field(None, max_length=20)
    schedule: ScheduleIn | None = None
    posts_per_slot: int | None = Field(None, ge=1, le=5)
    moods: list[Tag] | None = Field(None, max_length=20)
    settings: list[Tag] | None = Field(None, max_length=20)
    times_of_day: list[TimeOfDay] | None = Field(None, max_length=4)
    content_direction_ids: list[Tag] | None = Field(None, max_length=20)
    review: ReviewMode | None = None
    lead_time: timedelta | None = None
    start_at: datetime | None = None
    end_at: datetime | None = None

    _check_lead = field_validator("lead_time")(_lead)


class SlotTime(Schema):
    at: datetime = Field(description="UTC")
    local: datetime = Field(description="The same instant in the campaign's timezone")


class CampaignOut(Schema):
    id: str
    name: str
    profile_id: str
    influencer_id: str | None
    status: CampaignStatus
    schedule: dict[str, object]
    slots: list[str] = Field(description="The weekly slots, e.g. 'mon 08:00', in the campaign's timezone")
    timezone: str
    account_ids: list[str]
    posts_per_slot: int
    moods: list[str]
    settings: list[str]
    times_of_day: list[str]
    content_direction_ids: list[str]
    review: ReviewMode
    lead_time: timedelta
    start_at: datetime | None
    end_at: datetime | None
    next_slots: list[SlotTime]
    workflow_schedule_id: str
    ended_at: datetime | None
    ended_reason: str | None
    created_at: datetime
    updated_at: datetime


class RunItemOut(Schema):
    content_id: str | None
    outcome: RunItemOutcome
    reason: str | None = None


class CampaignRunOut(Schema):
    id: str
    campaign_id: str
    slot: SlotTime
    status: CampaignRunStatus
    batch_id: str | None
    workflow_id: str
    content_ids: list[str]
    items: list[RunItemOut]
    error: str | None
    created_at: datetime
    finished_at: datetime | None


class TriggerOut(Schema):
    campaign_id: str
    slot: SlotTime
    workflow_id: str


def slot_time(at: datetime, timezone: str) -> SlotTime:
    return SlotTime(at=at, local=at.astimezone(load_timezone(timezone)))


def campaign_slots(campaign: Campaign) -> list[WeeklySlot]:
    return [WeeklySlot(int(day), int(minute)) for day, minute in campaign.weekly_slots]


def campaign_out(campaign: Campaign, now: datetime) -> CampaignOut:
    upcoming_slots = []
    if campaign.status == CampaignStatus.ACTIVE:
        found = upcoming(
            campaign_slots(campaign),
            load_timezone(campaign.timezone),
            now,
            NEXT_SLOTS,
            start_at=campaign.start_at,
            end_at=campaign.end_at,
        )
        upcoming_slots = [slot_time(t, campaign.timezone) for t in found]
    rotation = campaign.rotation
    return CampaignOut(
        id=campaign.id,
        name=campaign.name,
        profile_id=campaign.profile_id,
        influencer_id=campaign.influencer_id,
        status=CampaignStatus(campaign.status),
        schedule=campaign.schedule,
        slots=[s.label() for s in campaign_slots(campaign)],
        timezone=campaign.timezone,
        account_ids=list(campaign.social_account_ids),
        posts_per_slot=campaign.posts_per_slot,
        moods=list(rotation.get("moods") or []),
        settings=list(rotation.get("settings") or []),
        times_of_day=list(rotation.get("times_of_day") or []),
        content_direction_ids=list(rotation.get("content_direction_ids") or []),
        review=ReviewMode(campaign.review),
        lead_time=timedelta(seconds=campaign.lead_seconds),
        start_at=campaign.start_at,
        end_at=campaign.end_at,
        next_slots=upcoming_slots,
        workflow_schedule_id=campaign.workflow_schedule_id,
        ended_at=campaign.ended_at,
        ended_reason=campaign.ended_reason,
        created_at=campaign.created_at,
        updated_at=campaign.updated_at,
    )


def _live(entry: dict[str, Any], publications: Sequence[Publication]) -> RunItemOut:
    """A scheduled item's outcome follows its publish round: published once every target is, failed (with the
    platform's reason) when a target failed or was called off."""
    outcome, reason = RunItemOutcome(entry["outcome"]), entry.get("reason")
    if outcome == RunItemOutcome.SCHEDULED:
        targets = [p for p in publications if p.content_id == entry["content_id"] and p.round == entry.get("round")]
        statuses = {p.status for p in targets}
        if targets and statuses == {PublicationStatus.PUBLISHED}:
            outcome = RunItemOutcome.PUBLISHED
        elif statuses & {PublicationStatus.FAILED, PublicationStatus.CANCELLED} and not statuses & {
            PublicationStatus.SCHEDULED,
            PublicationStatus.PUBLISHING,
        }:
            outcome = RunItemOutcome.FAILED
            failed = [p for p in targets if p.status != PublicationStatus.PUBLISHED]
            reason = "; ".join(f"{p.platform}: {p.error_message or p.status}" for p in failed)
    return RunItemOut(content_id=entry["content_id"], outcome=outcome, reason=reason)


def run_out(run: CampaignRun, timezone: str, publications: Sequence[Publication]) -> CampaignRunOut:
    return CampaignRunOut(
        id=run.id,
        campaign_id=run.campaign_id,
        slot=slot_time(run.slot_at, timezone),
        status=CampaignRunStatus(run.status),
        batch_id=run.batch_id,
        workflow_id=run.workflow_id,
        content_ids=[e["content_id"] for e in run.items if e.get("content_id")],
        items=[_live(e, publications) for e in run.items],
        error=run.error,
        created_at=run.created_at,
        finished_at=run.finished_at,
    )
