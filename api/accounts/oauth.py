"""Connecting X, TikTok and Instagram accounts with OAuth 2.0 authorization code + PKCE.

The API talks to the platform's token endpoint itself here (a short call the user's browser redirect
waits for), so this is the one API module that uses the social adapters directly."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from api.accounts.schemas import ConnectBody, ConnectStart
from api.accounts.service import check_profile_ref
from core.crypto import TokenCipher
from core.errors import BadRequest, ValidationFailed
from core.ids import new_id
from domain.accounts import SocialAccountStatus
from providers.social.base import SocialPlatform
from providers.social.pkce import new_code_verifier
from store.models import OAuthState, SocialAccount
from store.repositories.oauth import OAuthStateRepository
from store.repositories.profiles import SocialAccountRepository
from store.types import utcnow


def oauth_platform(platforms: dict[str, SocialPlatform], name: str) -> SocialPlatform:
    platform = platforms.get(name)
    if platform is None or name == "sandbox":
        configured = ", ".join(sorted(p for p in platforms if p != "sandbox")) or "none"
        raise ValidationFailed(
            f"{name} cannot be connected here; configured OAuth platforms: {configured}",
            details=[{"field": "platform", "message": "not configured on this deployment"}],
        )
    return platform


async def start_connect(
    session: AsyncSession,
    cipher: TokenCipher,
    platforms: dict[str, SocialPlatform],
    account_id: str,
    api_key_id: str,
    platform_name: str,
    body: ConnectBody,
    state_ttl: timedelta,
) -> ConnectStart:
    platform = oauth_platform(platforms, platform_name)
    if body.profile_id:
        await check_profile_ref(session, account_id, body.profile_id)
    verifier = new_code_verifier()
    state = secrets.token_urlsafe(24)
    expires_at = utcnow() + state_ttl
    await OAuthStateRepository(session).add(
        OAuthState(
            state=state,
            account_id=account_id,
            api_key_id=api_key_id,
            platform=platform_name,
            profile_id=body.profile_id,
            redirect_uri=str(body.redirect_uri),
            encrypted_verifier=cipher.encrypt(verifier),
            expires_at=expires_at,
        )
    )
    url = platform.authorize_url(state, platform.code_challenge(verifier), str(body.redirect_uri))
    return ConnectStart(authorize_url=url, state=state, expires_at=expires_at)


async def finish_connect(
    session: AsyncSession,
    cipher: TokenCipher,
    platforms: dict[str, SocialPlatform],
    api_key_id: str,
    state: str,
    code: str,
) -> SocialAccount:
    """Exchange the code, store the tokens encrypted; reconnecting the same platform user reactivates it.

    Only the API key that started the connection may finish it. Unknown, expired, used, or started by another
    key (of this account or another) all answer the same 400 ``invalid_state``, so a caller learns nothing
    about states it does not own; a state presented by the wrong key is not consumed."""
    pending = await OAuthStateRepository(session).take(state, api_key_id)
    if pending is None or pending.expires_at < utcnow():
        raise BadRequest("unknown or expired OAuth state; start the connection again", code="invalid_state")
    platform = oauth_platform(platforms, pending.platform)
    tokens = await platform.exchange_code(code, cipher.decrypt_text(pending.encrypted_verifier), pending.redirect_uri)
    credentials = tokens.to_credentials()
    repo = SocialAccountRepository(session)
    account = await repo.find_by_platform_user(pending.account_id, pending.platform, credentials.platform_user_id)
    handle = str(credentials.extra.get("username") or credentials.platform_user_id)
    if account is None:
        account = await repo.add(
            SocialAccount(
                id=new_id("acc"),
                account_id=pending.account_id,
                profile_id=pending.profile_id,
                platform=pending.platform,
                handle=handle,
                display_name=handle,
                platform_user_id=credentials.platform_user_id,
                status=SocialAccountStatus.ACTIVE,
            )
        )
    account.status = SocialAccountStatus.ACTIVE
    account.handle = handle
    account.encrypted_tokens = cipher.encrypt(credentials.model_dump(mode="json"))
    account.token_expires_at = credentials.expires_at
    if pending.profile_id:
        account.profile_id = pending.profile_id
    return await repo.save(account)
