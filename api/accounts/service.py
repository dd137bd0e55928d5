"""Connected-account changes: the sandbox connects directly, the others through OAuth (``oauth.py``)."""

from __future__ import annotations

import secrets

from sqlalchemy.ext.asyncio import AsyncSession

from api.accounts.schemas import SandboxFaultsIn, SocialAccountCreate, SocialAccountUpdate
from core.crypto import TokenCipher
from core.errors import Conflict, Forbidden, ValidationFailed
from core.ids import new_id
from core.settings import Settings
from domain.accounts import SocialAccountStatus
from store.models import SandboxPost, SocialAccount
from store.pagination import Page
from store.repositories.profiles import ProfileRepository, SocialAccountRepository
from store.repositories.sandbox import SandboxRepository


async def list_accounts(
    session: AsyncSession,
    account_id: str,
    *,
    limit: int,
    cursor: str | None,
    profile_id: str | None,
    platform: str | None,
) -> Page[SocialAccount]:
    return await SocialAccountRepository(session).list(
        account_id, limit=limit, cursor=cursor, profile_id=profile_id, platform=platform
    )


async def get_social_account(session: AsyncSession, account_id: str, social_account_id: str) -> SocialAccount:
    return await SocialAccountRepository(session).get_owned(account_id, social_account_id)


async def connect_sandbox_account(
    session: AsyncSession, cipher: TokenCipher, settings: Settings, account_id: str, body: SocialAccountCreate
) -> SocialAccount:
    """The sandbox platform issues its own access token at connect time, stored encrypted like any other."""
    if not settings.sandbox_enabled:
        raise Forbidden(
            "the sandbox platform is disabled on this server (AUTOPERSONAS_SANDBOX_ENABLED)", code="feature_disabled"
        )
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
        status=SocialAccountStatus.ACTIVE,
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


async def sandbox_account(session: AsyncSession, account_id: str, social_account_id: str) -> SocialAccount:
    """A connected account that must be on the sandbox platform, or 422 naming the platform."""
    account = await get_social_account(session, account_id, social_account_id)
    if account.platform != "sandbox":
        raise ValidationFailed(
            f"account {social_account_id} is on {account.platform}; only sandbox accounts have sandbox posts or faults",
            details=[{"field": "platform", "message": "must be sandbox"}],
        )
    return account


async def set_sandbox_faults(
    session: AsyncSession, account_id: str, social_account_id: str, body: SandboxFaultsIn
) -> SocialAccount:
    account = await sandbox_account(session, account_id, social_account_id)
    account.sandbox_faults = {} if body.mode == "none" else body.model_dump(mode="json", exclude_none=True)
    return await SocialAccountRepository(session).save(account)


async def syncable_account(session: AsyncSession, account_id: str, social_account_id: str) -> SocialAccount:
    """A connected account whose analytics can be synced now: 409 while it needs reconnecting."""
    account = await get_social_account(session, account_id, social_account_id)
    if account.status != SocialAccountStatus.ACTIVE:
        raise Conflict(
            f"account {social_account_id} is {account.status}; reconnect it before syncing its analytics",
            code="account_not_active",
        )
    return account


async def disconnect(session: AsyncSession, account_id: str, social_account_id: str) -> None:
    account = await get_social_account(session, account_id, social_account_id)
    await SocialAccountRepository(session).delete(account)


async def sandbox_posts(
    session: AsyncSession, account_id: str, social_account_id: str, *, limit: int, cursor: str | None
) -> tuple[SocialAccount, Page[SandboxPost]]:
    account = await sandbox_account(session, account_id, social_account_id)
    return account, await SandboxRepository(session).list_posts(account.platform_user_id, limit=limit, cursor=cursor)
