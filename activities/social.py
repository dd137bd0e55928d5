"""Credentials of connected accounts: decrypted for a call and refreshed shortly before they expire."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from activities.errors import gone
from activities.webhook_dispatch import dispatch_recorded
from activities.webhook_events import account_data
from core.crypto import TokenCipher
from core.errors import PermanentProviderError, ProviderAuthError
from domain.accounts import SocialAccountStatus, can_account_transition
from domain.webhooks import EventType
from providers.social.base import AccountCredentials, SocialPlatform
from store.db import transaction
from store.models import SocialAccount
from store.repositories.profiles import SocialAccountRepository
from store.repositories.webhooks import record_event
from store.types import utcnow

logger = logging.getLogger(__name__)

REFRESH_MARGIN = timedelta(minutes=5)


def platform_for(platforms: dict[str, SocialPlatform], name: str) -> SocialPlatform:
    platform = platforms.get(name)
    if platform is None:
        raise PermanentProviderError(f"platform {name} is not configured on this deployment")
    return platform


def stored_credentials(cipher: TokenCipher, account: SocialAccount) -> AccountCredentials:
    if account.status != SocialAccountStatus.ACTIVE:
        raise ProviderAuthError(f"account {account.id} is {account.status}; reconnect it")
    if account.encrypted_tokens is None:
        raise ProviderAuthError(f"account {account.id} has no stored credentials; reconnect it")
    return AccountCredentials.model_validate(cipher.decrypt(account.encrypted_tokens))


def needs_refresh(credentials: AccountCredentials) -> bool:
    expires_at = credentials.expires_at
    return expires_at is not None and expires_at - utcnow() <= REFRESH_MARGIN and bool(credentials.refresh_token)


async def refresh_credentials(
    session: AsyncSession, cipher: TokenCipher, platform: SocialPlatform, social_account_id: str
) -> AccountCredentials:
    """Refresh an account's tokens, one caller at a time. Call it first thing in a transaction of its own.

    X and TikTok rotate refresh tokens: of two concurrent refreshes with the same token the second is
    refused, and its caller would wrongly flag the account ``needs_reauth``. So the account row is locked,
    the tokens re-read under the lock, and refreshed only if another caller has not just done it; the
    lock is held (over the platform call) until the new tokens are committed."""
    account = await SocialAccountRepository(session).get_for_update(social_account_id)
    if account is None:
        raise PermanentProviderError(f"connected account {social_account_id} is gone")
    credentials = stored_credentials(cipher, account)
    if not needs_refresh(credentials):
        return credentials
    # A refusal (ProviderAuthError) propagates; the caller flags the account in its own transaction.
    tokens = await platform.refresh_token(credentials)
    refreshed = tokens.to_credentials(credentials)
    account.encrypted_tokens = cipher.encrypt(refreshed.model_dump(mode="json"))
    account.token_expires_at = refreshed.expires_at
    await session.flush()
    return refreshed


async def connected_credentials(
    session_factory: async_sessionmaker[AsyncSession],
    cipher: TokenCipher,
    platforms: dict[str, SocialPlatform],
    owner_account_id: str,
    social_account_id: str,
) -> tuple[SocialPlatform, AccountCredentials]:
    """The platform and usable credentials of a connected account, refreshed when they are about to expire.
    A refusal flags the account ``needs_reauth`` (in its own transaction) and propagates."""
    try:
        async with transaction(session_factory) as session:
            account = await SocialAccountRepository(session).get(owner_account_id, social_account_id)
            if account is None:
                raise gone(f"connected account {social_account_id}")
            platform = platform_for(platforms, account.platform)
            credentials = stored_credentials(cipher, account)
        if needs_refresh(credentials):
            # Its own transaction with the row lock as first statement: on SQLite, a transaction that has
            # already read cannot take the write lock once another writer has committed since.
            async with transaction(session_factory) as session:
                credentials = await refresh_credentials(session, cipher, platform, social_account_id)
    except ProviderAuthError:
        await flag_reauth(session_factory, owner_account_id, social_account_id)
        raise
    return platform, credentials


async def flag_reauth(
    session_factory: async_sessionmaker[AsyncSession], owner_account_id: str, social_account_id: str
) -> None:
    async with transaction(session_factory) as session:
        account = await SocialAccountRepository(session).get(owner_account_id, social_account_id)
        reauth = SocialAccountStatus.NEEDS_REAUTH
        if account is None or account.status == reauth or not can_account_transition(account.status, reauth):
            return
        account.status = reauth
        # Only the transition is an event: a later refusal of an account already flagged records nothing.
        # No key: the same account may need re-auth again after a reconnect, and that is a new event.
        event = await record_event(session, owner_account_id, EventType.ACCOUNT_NEEDS_REAUTH, account_data(account))
    logger.warning(
        "account.needs_reauth account=%s social_account=%s platform=%s",
        owner_account_id, social_account_id, account.platform,
    )  # fmt: skip
    await dispatch_recorded(session_factory, [event.id])
