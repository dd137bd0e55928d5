"""``/profiles``: AI influencer and managed profiles, with their connected accounts, and drafting their
content directions."""

from __future__ import annotations

from datetime import UTC
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response, status

from api.auth import ContentGenerate, ContentRead, ProfileRead, ProfileWrite
from api.deps import DEFAULT_PAGE_SIZE, Cursor, Limit, SessionDep, StorageDep
from api.jobs.schemas import JobOut, job_out
from api.jobs.service import answer_for_job
from api.profiles import service
from api.profiles.schemas import (
    DirectionsDraftBody,
    MediaLibraryItemOut,
    ProfileCreate,
    ProfileOut,
    ProfileUpdate,
    library_item_out,
    profile_out,
)
from api.starter import STARTS_WORK_RESPONSES, StarterDep
from core.wire import Instant, ListResponse
from domain.imports import ImportPlatform, LibraryMediaType

router = APIRouter(prefix="/profiles", tags=["profiles"])


@router.get("", response_model=ListResponse[ProfileOut], summary="List profiles")
async def list_profiles(
    principal: ProfileRead,
    session: SessionDep,
    limit: Limit = DEFAULT_PAGE_SIZE,
    cursor: Cursor = None,
    type: Annotated[Literal["ai_influencer", "managed"] | None, Query(description="Filter by type")] = None,
) -> ListResponse[ProfileOut]:
    page = await service.list_profiles(session, principal.account_id, limit=limit, cursor=cursor, type_=type)
    accounts = await service.connected_accounts(session, principal.account_id, page.items)
    return ListResponse(data=[profile_out(p, accounts) for p in page.items], next_cursor=page.next_cursor)


@router.post("", response_model=ProfileOut, status_code=status.HTTP_201_CREATED, summary="Create a profile")
async def create_profile(body: ProfileCreate, principal: ProfileWrite, session: SessionDep) -> ProfileOut:
    profile = await service.create_profile(session, principal.account_id, body)
    return profile_out(profile, [])


@router.get("/{profile_id}", response_model=ProfileOut, summary="Get a profile")
async def get_profile(profile_id: str, principal: ProfileRead, session: SessionDep) -> ProfileOut:
    profile = await service.get_profile(session, principal.account_id, profile_id)
    accounts = await service.connected_accounts(session, principal.account_id, [profile])
    return profile_out(profile, accounts)


@router.put("/{profile_id}", response_model=ProfileOut, summary="Update a profile")
async def update_profile(
    profile_id: str, body: ProfileUpdate, principal: ProfileWrite, session: SessionDep
) -> ProfileOut:
    profile = await service.update_profile(session, principal.account_id, profile_id, body)
    accounts = await service.connected_accounts(session, principal.account_id, [profile])
    return profile_out(profile, accounts)


@router.delete(
    "/{profile_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Delete a profile",
    description="Connected accounts stay connected and become unattached.",
)
async def delete_profile(profile_id: str, principal: ProfileWrite, session: SessionDep) -> None:
    await service.delete_profile(session, principal.account_id, profile_id)


@router.post(
    "/{profile_id}/content-directions/draft",
    response_model=JobOut,
    summary="Draft content directions from a freeform prompt",
    description="With `save: true` the drafts are appended to the profile's content directions.",
    responses=STARTS_WORK_RESPONSES,
)
async def draft_content_directions(
    profile_id: str, body: DirectionsDraftBody, principal: ContentGenerate, starter: StarterDep, response: Response
) -> JobOut:
    profile = await service.get_profile(starter.session, principal.account_id, profile_id)
    job = await starter.start_job(service.directions_draft_job(profile, body))
    answer_for_job(job, response)
    return job_out(job)


@router.get(
    "/{profile_id}/media-library",
    response_model=ListResponse[MediaLibraryItemOut],
    summary="List a profile's imported posts",
    description="Posts brought in by `POST /social-import/{platform}`, newest post first, with our stored media.",
)
async def media_library(
    profile_id: str,
    principal: ContentRead,
    session: SessionDep,
    storage: StorageDep,
    limit: Limit = DEFAULT_PAGE_SIZE,
    cursor: Cursor = None,
    platform: Annotated[ImportPlatform | None, Query(description="Only this platform's posts")] = None,
    media_type: Annotated[LibraryMediaType | None, Query(alias="mediaType")] = None,
    since: Annotated[Instant | None, Query(description="Only posts at or after this date or time")] = None,
) -> ListResponse[MediaLibraryItemOut]:
    if since is not None and since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    page = await service.media_library(
        session,
        principal.account_id,
        profile_id,
        limit=limit,
        cursor=cursor,
        platform=platform,
        media_type=media_type,
        since=since,
    )
    return ListResponse(data=[library_item_out(i, storage) for i in page.items], next_cursor=page.next_cursor)
