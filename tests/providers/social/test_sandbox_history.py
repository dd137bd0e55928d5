"""Reading a sandbox account's history for import: posts seeded over past months (``tests/utils/sandbox_history``)
and posts published through the adapter, read back page by page with typed media whose URLs our API serves,
``since`` applied by the sandbox, and a wrong token refused as an auth error."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from core.crypto import load_cipher
from core.errors import ProviderAuthError
from providers.social.base import AccountCredentials, MediaInput, PostRequest
from providers.social.sandbox import SandboxPlatform
from store.repositories.profiles import SocialAccountRepository
from tests.providers.social.helpers import publish, read_history
from tests.utils.factories import Tenant, connect_sandbox
from tests.utils.sandbox_history import history_caption, seed_sandbox_history
from tests.utils.stack import Stack


async def credentials(stack: Stack, http: httpx.AsyncClient, tenant: Tenant) -> AccountCredentials:
    body = await connect_sandbox(http, tenant, None)
    async with stack.sessions() as session:
        row = await SocialAccountRepository(session).get(tenant.account_id, body["id"])
    assert row is not None and row.encrypted_tokens is not None
    return AccountCredentials(**load_cipher(stack.settings).decrypt(row.encrypted_tokens))


async def test_seeded_and_published_posts_read_back_page_by_page_with_fetchable_media(
    stack: Stack, http: httpx.AsyncClient, tenant: Tenant
) -> None:
    creds = await credentials(stack, http, tenant)
    seeded = await seed_sandbox_history(
        stack.sessions,
        creds.platform_user_id,
        40,
        media_base_url=f"{stack.settings.public_base_url}/media",
        storage=stack.deps.storage,
    )
    sandbox = SandboxPlatform(stack.base_url)
    try:
        photo = MediaInput(url=seeded[1].media_urls[0], content_type="image/png")
        published = await publish(sandbox, creds, PostRequest(text="fresh one", media=[photo], idempotency_key="k1"))
        posts, pages = await read_history(sandbox, creds, limit=15)
    finally:
        await sandbox.aclose()

    assert pages == 3 and len(posts) == 41
    assert posts[0].platform_post_id == published.platform_post_id
    assert [p.text for p in posts[1:]] == [history_caption(i) for i in range(40)]
    assert all(later.created_at >= earlier.created_at for later, earlier in itertools.pairwise(posts))
    assert posts[-1].created_at < datetime.now(UTC) - timedelta(days=90)
    kinds = {p.media_type for p in posts}
    assert kinds == {"image", "video"}
    assert posts[1].media_type == "video" and posts[1].media[0].url.endswith(".mp4")
    assert all(p.metrics is not None and p.metrics.views is not None for p in posts)
    for post in (posts[0], posts[1], posts[2]):
        fetched = await http.get(post.media[0].url)
        assert fetched.status_code == 200, post.media[0].url
        assert fetched.headers["content-type"].startswith(post.media[0].media_type)


async def test_since_is_applied_by_the_sandbox(stack: Stack, http: httpx.AsyncClient, tenant: Tenant) -> None:
    creds = await credentials(stack, http, tenant)
    seeded = await seed_sandbox_history(
        stack.sessions, creds.platform_user_id, 20, media_base_url=f"{stack.settings.public_base_url}/media"
    )
    sandbox = SandboxPlatform(stack.base_url)
    try:
        posts, _ = await read_history(sandbox, creds, limit=4, since=seeded[9].created_at)
    finally:
        await sandbox.aclose()

    assert [p.platform_post_id for p in posts] == [s.id for s in seeded[:10]]


async def test_wrong_token_is_an_auth_error(stack: Stack, http: httpx.AsyncClient, tenant: Tenant) -> None:
    creds = await credentials(stack, http, tenant)
    sandbox = SandboxPlatform(stack.base_url)
    try:
        with pytest.raises(ProviderAuthError):
            await sandbox.list_posts(creds.model_copy(update={"access_token": "sbx_tok_wrong"}))
    finally:
        await sandbox.aclose()
