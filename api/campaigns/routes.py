"""``/campaigns``: recurring content on a Temporal Schedule, each slot generated ahead of time, reviewed (or
not) and published at the slot. ``content:generate`` to create or change, ``content:read`` to read."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from api.auth import ContentGenerate, ContentRead
from api.campaigns import service
from api.campaigns.schedules import SchedulesDep
from api.campaigns.schemas import CampaignCreate, CampaignOut, CampaignRunOut, CampaignUpdate, TriggerOut, campaign_out
from api.deps import DEFAULT_PAGE_SIZE, Cursor, Limit, SessionDep
from api.starter import STARTS_WORK_RESPONSES, StarterDep
from core.wire import ListResponse
from store.types import utcnow

router = APIRouter(prefix="/campaigns", tags=["campaigns"])


@router.post(
    "",
    response_model=CampaignOut,
    status_code=status.HTTP_201_CREATED,
    summary="Create a campaign",
    description=(
        "Give `schedule` as `slots`, a weekly `cron` or `fromRoutines`, in `timezone` (default the profile's). "
        "Creates the campaign's Temporal Schedule (`workflowScheduleId`). Also needs `publishing:write`."
    ),
)
async def create_campaign(
    body: CampaignCreate, principal: ContentGenerate, session: SessionDep, schedules: SchedulesDep
) -> CampaignOut:
    return await service.create(session, schedules, principal, body)


@router.get("", response_model=ListResponse[CampaignOut], summary="List campaigns")
async def list_campaigns(
    principal: ContentRead,
    session: SessionDep,
    limit: Limit = DEFAULT_PAGE_SIZE,
    cursor: Cursor = None,
    profile_id: Annotated[str | None, Query(alias="profileId", max_length=40)] = None,
) -> ListResponse[CampaignOut]:
    page = await service.list_campaigns(
        session, principal.account_id, limit=limit, cursor=cursor, profile_id=profile_id
    )
    now = utcnow()
    return ListResponse(data=[campaign_out(c, now) for c in page.items], next_cursor=page.next_cursor)


@router.get("/{campaign_id}", response_model=CampaignOut, summary="Get a campaign")
async def get_campaign(campaign_id: str, principal: ContentRead, session: SessionDep) -> CampaignOut:
    return campaign_out(await service.get(session, principal.account_id, campaign_id), utcnow())


@router.patch(
    "/{campaign_id}",
    response_model=CampaignOut,
    summary="Change a campaign",
    description="Changes its Schedule in place (same id); runs already started keep their plan.",
)
async def update_campaign(
    campaign_id: str, body: CampaignUpdate, principal: ContentGenerate, session: SessionDep, schedules: SchedulesDep
) -> CampaignOut:
    return await service.update(session, schedules, principal, campaign_id, body)


@router.post("/{campaign_id}/pause", response_model=CampaignOut, summary="Pause a campaign")
async def pause_campaign(
    campaign_id: str, principal: ContentGenerate, session: SessionDep, schedules: SchedulesDep
) -> CampaignOut:
    return await service.set_paused(session, schedules, principal.account_id, campaign_id, True)


@router.post("/{campaign_id}/resume", response_model=CampaignOut, summary="Resume a paused campaign")
async def resume_campaign(
    campaign_id: str, principal: ContentGenerate, session: SessionDep, schedules: SchedulesDep
) -> CampaignOut:
    return await service.set_paused(session, schedules, principal.account_id, campaign_id, False)


@router.post(
    "/{campaign_id}/trigger",
    response_model=TriggerOut,
    status_code=status.HTTP_202_ACCEPTED,
    summary="Run the next slot now",
    description="Generates the next slot's content at once; its publish still happens at the slot.",
    responses=STARTS_WORK_RESPONSES,
)
async def trigger_campaign(campaign_id: str, principal: ContentGenerate, starter: StarterDep) -> TriggerOut:
    return await service.trigger(starter, principal.account_id, campaign_id)


@router.delete(
    "/{campaign_id}",
    response_model=CampaignOut,
    summary="End a campaign and delete its Schedule",
    description="Content already scheduled stays scheduled unless `cancelScheduled=true`.",
)
async def delete_campaign(
    campaign_id: str,
    principal: ContentGenerate,
    starter: StarterDep,
    schedules: SchedulesDep,
    cancel_scheduled: Annotated[bool, Query(alias="cancelScheduled")] = False,
) -> CampaignOut:
    return await service.delete(starter, schedules, principal.account_id, campaign_id, cancel_scheduled)


@router.get(
    "/{campaign_id}/runs",
    response_model=ListResponse[CampaignRunOut],
    summary="A campaign's runs",
    description="Each slot's batch, its content ids and the outcome of each item, newest first.",
)
async def campaign_runs(
    campaign_id: str,
    principal: ContentRead,
    session: SessionDep,
    limit: Limit = DEFAULT_PAGE_SIZE,
    cursor: Cursor = None,
) -> ListResponse[CampaignRunOut]:
    data, next_cursor = await service.runs(session, principal.account_id, campaign_id, limit=limit, cursor=cursor)
    return ListResponse(data=data, next_cursor=next_cursor)
