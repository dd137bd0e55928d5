"""Profile and connected-account changes, with the cross-resource checks the schemas cannot make."""

from __future__ import annotations

import secrets

from sqlalchemy.ext.asyncio import AsyncSession

from api.schemas.profiles import (
    ContentDirectionIn,
    ProfileCreate,
    ProfileUpdate,
    SocialAccountCreate,
    SocialAccountUpdate,
)
from core.crypto import TokenCipher
from core.errors import NotFound, ValidationFailed
from core.ids import new_id
from store.models import Profile, SocialAccount
from store.repositories.influencers import InfluencerRepository
from store.repositories.profiles import ProfileRepository, SocialAccountRepository


async def get_profile(session: AsyncSession, account_id: str, profile_id: str) -> Profile:
    profile = await ProfileRepository(session).get(account_id, profile_id)
    if profile is None:
        raise NotFound(f"profile {profile_id} not found")
    return profile


async def get_social_account(session: AsyncSession, account_id: str, social_account_id: str) -> SocialAccount:
    social_account = await SocialAccountRepository(session).get(account_id, social_account_id)
    if social_account is None:
        raise NotFound(f"account {social_account_id} not found")
    return social_account


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


async def connect_sandbox_account(
    session: AsyncSession, cipher: TokenCipher, account_id: str, body: SocialAccountCreate
) -> SocialAccount:
    """The sandbox platform issues its own access token at connect time, stored encrypted like any other."""
    if body.profile_id:
        await check_profile_ref(session, account_id, body.profile_id)
    handle = body.handle.lstrip("@")
    # Stored in the shape of providers.social.base.AccountCredentials, which the worker reads back.
    credentials = {"access_token": "sbx_tok_" + secrets.token_urlsafe(24), "platform_user_id": new_id("sbx")}
    social_account = SocialAccount(
        id=new_id("acc"),
        account_id=account_id,
        profile_id=body.profile_id,
        platform=body.platform,
        handle=handle,
        display_name=body.display_name or handle,
        platform_user_id=credentials["platform_user_id"],
        status="active",
        encrypted_tokens=cipher.encrypt(credentials),
    )
    return await SocialAccountRepository(session).add(social_account)


async def update_social_account(
    session: AsyncSession, account_id: str, social_account_id: str, body: SocialAccountUpdate
) -> SocialAccount:
    social_account = await get_social_account(session, account_id, social_account_id)
    changes = body.model_dump(exclude_unset=True)
    if "profile_id" in changes:
        if changes["profile_id"]:
            await check_profile_ref(session, account_id, changes["profile_id"])
        social_account.profile_id = changes["profile_id"]
    if body.display_name is not None:
        social_account.display_name = body.display_name
    return await SocialAccountRepository(session).save(social_account)


async def check_profile_ref(session: AsyncSession, account_id: str, profile_id: str) -> None:
    if await ProfileRepository(session).get(account_id, profile_id) is None:
        raise ValidationFailed(
            f"profileId {profile_id} does not name one of your profiles",
            details=[{"field": "profileId", "message": "not found"}],
        )
