"""Profile changes, with the cross-resource checks the schemas cannot make, and the spec of drafting
content directions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from api.campaigns.service import end_for_profile
from api.profiles.schemas import ContentDirectionIn, DirectionsDraftBody, ProfileCreate, ProfileUpdate
from api.starter import JobSpec
from contracts.jobs import CONTENT_DIRECTIONS_WORKFLOW, ContentDirectionsInput
from core.errors import ValidationFailed
from core.ids import new_id
from domain.jobs import JobKind
from store.models import MediaLibraryItem, Profile, SocialAccount
from store.pagination import Page
from store.repositories.imports import MediaLibraryRepository
from store.repositories.influencers import InfluencerRepository
from store.repositories.profiles import ProfileRepository, SocialAccountRepository


async def get_profile(session: AsyncSession, account_id: str, profile_id: str) -> Profile:
    return await ProfileRepository(session).get_owned(account_id, profile_id)


async def list_profiles(
    session: AsyncSession, account_id: str, *, limit: int, cursor: str | None, type_: str | None
) -> Page[Profile]:
    return await ProfileRepository(session).list(account_id, limit=limit, cursor=cursor, type_=type_)


async def connected_accounts(
    session: AsyncSession, account_id: str, profiles: Sequence[Profile]
) -> Sequence[SocialAccount]:
    """The accounts of a page of profiles in one query."""
    return await SocialAccountRepository(session).for_profiles(account_id, [p.id for p in profiles])


async def delete_profile(session: AsyncSession, account_id: str, profile_id: str) -> None:
    profile = await get_profile(session, account_id, profile_id)
    await end_for_profile(session, account_id, profile.id)
    await ProfileRepository(session).delete(profile)


async def _check_influencer(session: AsyncSession, account_id: str, influencer_id: str) -> None:
    if await InfluencerRepository(session).get(account_id, influencer_id) is None:
        raise ValidationFailed(
            f"influencerId {influencer_id} does not name one of your influencers",
            details=[{"field": "influencerId", "message": "not found"}],
        )


def _directions(directions: list[ContentDirectionIn]) -> list[dict[str, object]]:
    return [{"id": new_id("cdir"), **d.model_dump(mode="json")} for d in directions]


async def create_profile(session: AsyncSession, account_id: str, body: ProfileCreate) -> Profile:
    if body.type == "ai_influencer":
        if not body.influencer_id:
            raise ValidationFailed(
                "an ai_influencer profile needs influencerId",
                details=[{"field": "influencerId", "message": "required for type ai_influencer"}],
            )
        await _check_influencer(session, account_id, body.influencer_id)
    elif body.influencer_id:
        raise ValidationFailed(
            "a managed profile is a real person's account and takes no influencerId",
            details=[{"field": "influencerId", "message": "not allowed for type managed"}],
        )
    profile = Profile(
        id=new_id("prof"),
        account_id=account_id,
        name=body.name,
        type=body.type,
        influencer_id=body.influencer_id,
        timezone=body.timezone,
        content_directions=_directions(body.content_directions),
    )
    return await ProfileRepository(session).add(profile)


async def update_profile(session: AsyncSession, account_id: str, profile_id: str, body: ProfileUpdate) -> Profile:
    profile = await get_profile(session, account_id, profile_id)
    if body.influencer_id is not None:
        if profile.type != "ai_influencer":
            raise ValidationFailed(
                "a managed profile takes no influencerId",
                details=[{"field": "influencerId", "message": "not allowed for type managed"}],
            )
        await _check_influencer(session, account_id, body.influencer_id)
        profile.influencer_id = body.influencer_id
    if body.name is not None:
        profile.name = body.name
    if body.timezone is not None:
        profile.timezone = body.timezone
    if body.content_directions is not None:
        profile.content_directions = _directions(body.content_directions)
    return await ProfileRepository(session).save(profile)


def directions_draft_job(profile: Profile, body: DirectionsDraftBody) -> JobSpec:
    return JobSpec(
        kind=JobKind.CONTENT_DIRECTIONS,
        workflow=CONTENT_DIRECTIONS_WORKFLOW,
        account_id=profile.account_id,
        subject_id=profile.id,
        summary=f"Draft {body.count} content directions for {profile.name} ({profile.id})",
        params=body.model_dump(by_alias=True),
        make_input=lambda job_id: ContentDirectionsInput(
            job_id=job_id,
            account_id=profile.account_id,
            profile_id=profile.id,
            prompt=body.prompt,
            count=body.count,
            save=body.save,
        ),
    )


async def media_library(
    session: AsyncSession,
    account_id: str,
    profile_id: str,
    *,
    limit: int,
    cursor: str | None,
    platform: str | None,
    media_type: str | None,
    since: datetime | None,
) -> Page[MediaLibraryItem]:
    """The profile's imported posts, newest first; another account's profile answers 404."""
    await get_profile(session, account_id, profile_id)
    return await MediaLibraryRepository(session).list_for_profile(
        account_id, profile_id, limit=limit, cursor=cursor, platform=platform, media_type=media_type, since=since
    )
