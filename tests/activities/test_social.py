"""Token refresh under concurrency. X rotates refresh tokens: of two refreshes with the same token, the
second is refused. Two publishes on one account whose token is about to expire must not both refresh
(the loser would flag the account ``needs_reauth``): refreshes are serialised per account by a row lock,
and the second caller uses the tokens the first one stored."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

from cryptography.fernet import Fernet

from activities.social import connected_credentials
from core.crypto import TokenCipher
from domain.accounts import SocialAccountStatus
from providers.social.base import AccountCredentials, PostRequest, SocialPlatform
from providers.social.x import XPlatform
from store.db import create_engine, create_session_factory, transaction
from store.models import SocialAccount
from store.types import utcnow
from tests.providers.social.conftest import Fake
from tests.providers.social.fakes.x_fake import XFakeState
from tests.utils.factories import make_tenant

REFRESH_DELAY_SECONDS = 0.2


def _adapter(x: Fake[XFakeState]) -> XPlatform:
    return XPlatform(
        client_id="x-client-id",
        client_secret="x-client-secret",
        base_url=x.url,
        authorize_endpoint=f"{x.url}/i/oauth2/authorize",
        token_endpoint=f"{x.url}/2/oauth2/token",
        poll_interval=0.01,
    )


async def test_concurrent_publishes_refresh_an_expiring_x_token_once(database_url: str, x: Fake[XFakeState]) -> None:
    x.state.refresh_delay_seconds = REFRESH_DELAY_SECONDS
    user_id = next(iter(x.state.users))
    refresh_token = "x-rt-initial"
    x.state.refresh_tokens[refresh_token] = user_id
    expiring = AccountCredentials(
        access_token=x.state.issue_token(user_id),
        refresh_token=refresh_token,
        expires_at=utcnow() + timedelta(minutes=1),
        platform_user_id=user_id,
    )
    cipher = TokenCipher(Fernet.generate_key())
    engine = create_engine(database_url)
    sessions = create_session_factory(engine)
    # Two workers: each its own adapter and its own connections to the one database.
    adapters = [_adapter(x), _adapter(x)]
    try:
        tenant = await make_tenant(sessions)
        social_id = f"acc_{uuid.uuid4().hex[:16]}"
        async with transaction(sessions) as session:
            session.add(
                SocialAccount(
                    id=social_id,
                    account_id=tenant.account_id,
                    platform="x",
                    handle="autopersonas_dev",
                    platform_user_id=user_id,
                    encrypted_tokens=cipher.encrypt(expiring.model_dump(mode="json")),
                    token_expires_at=expiring.expires_at,
                )
            )

        async def publish(platform: SocialPlatform, text: str) -> str:
            chosen, credentials = await connected_credentials(
                sessions, cipher, {"x": platform}, tenant.account_id, social_id
            )
            request = PostRequest(text=text, media=[], idempotency_key=f"{social_id}:{text}")
            return (await chosen.create_post(credentials, request, [])).tracking_id

        posted = await asyncio.gather(publish(adapters[0], "first"), publish(adapters[1], "second"))

        assert x.state.refresh_calls == 1
        assert len(set(posted)) == 2
        assert sorted(tweet.text for tweet in x.state.posts) == ["first", "second"]
        async with transaction(sessions) as session:
            account = await session.get(SocialAccount, social_id)
            assert account is not None
            assert account.status == SocialAccountStatus.ACTIVE
            stored = AccountCredentials.model_validate(cipher.decrypt(account.encrypted_tokens or b""))
        assert stored.refresh_token != refresh_token
        assert stored.refresh_token in x.state.refresh_tokens  # the rotated token is the one kept
    finally:
        for adapter in adapters:
            await adapter.aclose()
        await engine.dispose()
