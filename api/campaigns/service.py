"""Campaigns: the definition in the database, the timing in one Temporal Schedule per campaign
(``campaign-<id>``). Each change writes the row, then changes the Schedule; if Temporal refuses, the request
fails and the row change is rolled back with it, so the two never disagree for long."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from api.auth import Principal
from api.campaigns import definition
from api.campaigns.schedules import CampaignSchedules
from api.campaigns.schemas import (
    CampaignCreate,
    CampaignOut,
    CampaignRunOut,
    CampaignUpdate,
    TriggerOut,
    campaign_out,
    campaign_slots,
    run_out,
    slot_time,
)
from api.starter import WorkflowLaunch, WorkflowStarter
from contracts.campaign_schedule import CampaignScheduleSpec, campaign_search_attributes
from contracts.campaigns import CAMPAIGN_RUN_WORKFLOW, CampaignRunInput, campaign_run_workflow_id, campaign_schedule_id
from contracts.publishing import publish_workflow_id
from core.errors import Conflict, Forbidden
from core.ids import new_id
from core.scopes import Scope
from domain.campaign_slots import load_timezone, upcoming
from domain.campaigns import CampaignStatus, RunItemOutcome, check_campaign_transition
from store.models import Campaign
from store.pagination import Page
from store.repositories.campaigns import CampaignRepository, CampaignRunRepository
from store.types import utcnow


def _require_publishing(principal: Principal) -> None:
    if Scope.PUBLISHING_WRITE.value not in principal.scopes:
        raise Forbidden(
            "a campaign publishes to accounts: this API key also needs the publishing:write scope",
            code="missing_scope",
            details={"scope": Scope.PUBLISHING_WRITE.value},
        )


def _spec(campaign: Campaign) -> CampaignScheduleSpec:
    return CampaignScheduleSpec(
        campaign_id=campaign.id,
        account_id=campaign.account_id,
        name=campaign.name,
        profile_id=campaign.profile_id,
        influencer_id=campaign.influencer_id,
        social_account_ids=list(campaign.social_account_ids),
        slots=campaign_slots(campaign),
        timezone=campaign.timezone,
        lead=timedelta(seconds=campaign.lead_seconds),
        start_at=campaign.start_at,
        end_at=campaign.end_at,
        paused=campaign.status == CampaignStatus.PAUSED,
    )


async def create(
    session: AsyncSession, schedules: CampaignSchedules, principal: Principal, body: CampaignCreate
) -> CampaignOut:
    _require_publishing(principal)
    owner = await definition.owner_of(session, principal.account_id, body.profile_id)
    slots = definition.weekly_slots(body.schedule, owner.influencer)
    definition.check_window(body.start_at, body.end_at)
    definition.check_lead(slots, body.lead_time)
    definition.check_directions(owner.profile, body.content_direction_ids)
    account_ids = await definition.social_accounts(session, principal.account_id, owner.profile, body.account_ids)
    campaign_id = new_id("cmp")
    campaign = Campaign(
        id=campaign_id,
        account_id=principal.account_id,
        name=body.name,
        profile_id=owner.profile.id,
        influencer_id=owner.influencer.id,
        status=CampaignStatus.ACTIVE,
        schedule=body.schedule.model_dump(mode="json", by_alias=True, exclude_none=True),
        weekly_slots=[[s.weekday, s.minute] for s in slots],
        timezone=body.schedule.timezone or owner.profile.timezone,
        social_account_ids=account_ids,
        posts_per_slot=body.posts_per_slot,
        rotation=_rotation(body.moods, body.settings, list(body.times_of_day), body.content_direction_ids),
        review=body.review,
        lead_seconds=int(body.lead_time.total_seconds()),
        start_at=body.start_at,
        end_at=body.end_at,
        workflow_schedule_id=campaign_schedule_id(campaign_id),
    )
    await CampaignRepository(session).add(campaign)
    # The row is committed by the request after the Schedule exists; a refused create rolls it back.
    await schedules.create(campaign.workflow_schedule_id, _spec(campaign))
    return campaign_out(campaign, utcnow())


def _rotation(moods: list[str], settings: list[str], times: list[str], directions: list[str]) -> dict[str, list[str]]:
    return {"moods": moods, "settings": settings, "times_of_day": times, "content_direction_ids": directions}


async def get(session: AsyncSession, account_id: str, campaign_id: str) -> Campaign:
    return await CampaignRepository(session).get_owned(account_id, campaign_id)


async def list_campaigns(
    session: AsyncSession, account_id: str, *, limit: int, cursor: str | None, profile_id: str | None
) -> Page[Campaign]:
    return await CampaignRepository(session).list(account_id, limit=limit, cursor=cursor, profile_id=profile_id)


async def update(
    session: AsyncSession, schedules: CampaignSchedules, principal: Principal, campaign_id: str, body: CampaignUpdate
) -> CampaignOut:
    campaign = await get(session, principal.account_id, campaign_id)
    if campaign.status == CampaignStatus.ENDED:
        raise Conflict(f"campaign {campaign.id} has ended; create a new one", code="invalid_transition")
    fields = body.model_fields_set
    if "account_ids" in fields or "schedule" in fields:
        _require_publishing(principal)
    owner = await definition.owner_of(session, principal.account_id, campaign.profile_id)
    slots = campaign_slots(campaign)
    if body.schedule is not None:
        slots = definition.weekly_slots(body.schedule, owner.influencer)
        campaign.schedule = body.schedule.model_dump(mode="json", by_alias=True, exclude_none=True)
        campaign.weekly_slots = [[s.weekday, s.minute] for s in slots]
        campaign.timezone = body.schedule.timezone or owner.profile.timezone
    start_at = body.start_at if "start_at" in fields else campaign.start_at
    end_at = body.end_at if "end_at" in fields else campaign.end_at
    definition.check_window(start_at, end_at)
    lead = body.lead_time or timedelta(seconds=campaign.lead_seconds)
    definition.check_lead(slots, lead)
    if "account_ids" in fields:
        campaign.social_account_ids = await definition.social_accounts(
            session, principal.account_id, owner.profile, body.account_ids
        )
    rotation = dict(campaign.rotation)
    for name in ("moods", "settings", "times_of_day", "content_direction_ids"):
        value = getattr(body, name)
        if value is not None:
            rotation[name] = list(value)
    definition.check_directions(owner.profile, list(rotation.get("content_direction_ids") or []))
    campaign.rotation = rotation
    campaign.start_at, campaign.end_at, campaign.lead_seconds = start_at, end_at, int(lead.total_seconds())
    if body.name is not None:
        campaign.name = body.name
    if body.posts_per_slot is not None:
        campaign.posts_per_slot = body.posts_per_slot
    if body.review is not None:
        campaign.review = body.review
    await CampaignRepository(session).save(campaign)
    await schedules.replace(campaign.workflow_schedule_id, _spec(campaign))
    return campaign_out(campaign, utcnow())


async def set_paused(
    session: AsyncSession, schedules: CampaignSchedules, account_id: str, campaign_id: str, paused: bool
) -> CampaignOut:
    campaign = await get(session, account_id, campaign_id)
    wanted = CampaignStatus.PAUSED if paused else CampaignStatus.ACTIVE
    check_campaign_transition(campaign.status, wanted)
    campaign.status = wanted
    await CampaignRepository(session).save(campaign)
    if paused:
        await schedules.pause(campaign.workflow_schedule_id, "paused through the API")
    else:
        await schedules.resume(campaign.workflow_schedule_id, "resumed through the API")
    return campaign_out(campaign, utcnow())


async def trigger(starter: WorkflowStarter, account_id: str, campaign_id: str) -> TriggerOut:
    """Run the campaign's next slot now: generate it at once (its publish still waits for the slot)."""
    campaign = await get(starter.session, account_id, campaign_id)
    if campaign.status == CampaignStatus.ENDED:
        raise Conflict(f"campaign {campaign.id} has ended", code="invalid_transition")
    found = upcoming(
        campaign_slots(campaign),
        load_timezone(campaign.timezone),
        utcnow(),
        1,
        start_at=campaign.start_at,
        end_at=campaign.end_at,
    )
    if not found:
        raise Conflict(f"campaign {campaign.id} has no slot left before its endAt", code="no_slot")
    slot_at = found[0]
    workflow_id = campaign_run_workflow_id(campaign.id, slot_at)
    await starter.start(
        WorkflowLaunch(
            workflow=CAMPAIGN_RUN_WORKFLOW,
            input=CampaignRunInput(campaign_id=campaign.id, account_id=account_id, slot_at=slot_at),
            workflow_id=workflow_id,
            search_attributes=campaign_search_attributes(_spec(campaign)),
            busy_message=f"the slot {slot_at.isoformat()} of campaign {campaign.id} is already running",
            summary=f"Campaign {campaign.name} ({campaign.id}): slot {slot_at.isoformat()}, triggered by hand",
            resource_path=f"/campaigns/{campaign.id}/runs",
        )
    )
    return TriggerOut(campaign_id=campaign.id, slot=slot_time(slot_at, campaign.timezone), workflow_id=workflow_id)


async def delete(
    starter: WorkflowStarter, schedules: CampaignSchedules, account_id: str, campaign_id: str, cancel_scheduled: bool
) -> CampaignOut:
    """End the campaign and delete its Schedule; with ``cancel_scheduled`` also call off its publishes that
    have not fired yet (their items go back to approved, as with unpublish)."""
    session = starter.session
    campaign = await get(session, account_id, campaign_id)
    repo = CampaignRepository(session)
    if campaign.status != CampaignStatus.ENDED:
        await repo.end(campaign, "deleted through the API")
    await schedules.delete(campaign.workflow_schedule_id)
    if cancel_scheduled:
        for content_id in await _scheduled_items(session, campaign.id):
            if await starter.is_running(publish_workflow_id(content_id)):
                await starter.cancel(publish_workflow_id(content_id))
    return campaign_out(campaign, utcnow())


async def _scheduled_items(session: AsyncSession, campaign_id: str) -> list[str]:
    runs = CampaignRunRepository(session)
    content_ids: list[str] = []
    cursor: str | None = None
    while True:
        page = await runs.list(campaign_id, limit=100, cursor=cursor)
        content_ids += [
            e["content_id"] for run in page.items for e in run.items if e.get("outcome") == RunItemOutcome.SCHEDULED
        ]
        if page.next_cursor is None:
            return content_ids
        cursor = page.next_cursor


async def runs(
    session: AsyncSession, account_id: str, campaign_id: str, *, limit: int, cursor: str | None
) -> tuple[list[CampaignRunOut], str | None]:
    campaign = await get(session, account_id, campaign_id)
    repo = CampaignRunRepository(session)
    page = await repo.list(campaign.id, limit=limit, cursor=cursor)
    content_ids = [e["content_id"] for run in page.items for e in run.items if e.get("content_id")]
    publications = await repo.publications_of(content_ids)
    return [run_out(run, campaign.timezone, publications) for run in page.items], page.next_cursor


async def end_for_profile(session: AsyncSession, account_id: str, profile_id: str) -> tuple[str, ...]:
    """The profile is being deleted: its campaigns end in the same transaction. Their Schedules are deleted by
    the next run they fire, which finds the campaign ended and runs nothing."""
    return await CampaignRepository(session).end_for(
        account_id, profile_id=profile_id, reason="its profile was deleted"
    )


async def end_for_influencer(starter: WorkflowStarter, account_id: str, influencer_id: str) -> tuple[str, ...]:
    """The influencer is being deleted: its campaigns end and their Schedules are deleted now."""
    ended = await CampaignRepository(starter.session).end_for(
        account_id, influencer_id=influencer_id, reason="its influencer was deleted"
    )
    schedules = CampaignSchedules(starter.temporal, starter.settings)
    for campaign_id in ended:
        await schedules.delete(campaign_schedule_id(campaign_id))
    return ended
