"""Credentials of connected accounts: decrypted for a call and refreshed shortly before they expire."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from core.crypto import TokenCipher
from core.errors import PermanentProviderError, ProviderAuthError
from domain.accounts import SocialAccountStatus
from providers.social.base import AccountCredentials, SocialPlatform
from store.models import SocialAccount
from store.types import utcnow

REFRESH_MARGIN = timedelta(minutes=5)


def platform_for(platforms: dict[str, SocialPlatform], name: str) -> SocialPlatform:
    platform = platforms.get(name)
    if platform is None:
        raise PermanentProviderError(f"platform {name} is not configured on this deployment")
    return platform


async def fresh_credentials(
    session: AsyncSession, cipher: TokenCipher, platform: SocialPlatform, account: SocialAccount
) -> AccountCredentials:
    if account.status != SocialAccountStatus.ACTIVE:
        raise ProviderAuthError(f"account {account.id} is {account.status}; reconnect it")
    if account.encrypted_tokens is None:
        raise ProviderAuthError(f"account {account.id} has no stored credentials; reconnect it")
    credentials = AccountCredentials.model_validate(cipher.decrypt(account.encrypted_tokens))
    expires_at = credentials.expires_at
    if expires_at is None or expires_at - utcnow() > REFRESH_MARGIN or not credentials.refresh_token:
        return credentials
    # A refusal (ProviderAuthError) propagates; the caller flags the account in its own transaction.
    tokens = await platform.refresh_token(credentials)
    refreshed = tokens.to_credentials(credentials)
    account.encrypted_tokens = cipher.encrypt(refreshed.model_dump(mode="json"))
    account.token_expires_at = refreshed.expires_at
    await session.flush()
    return refreshed
