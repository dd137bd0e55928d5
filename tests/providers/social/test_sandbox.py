"""The sandbox platform end to end: the adapter against the sandbox API our own API process hosts, on a real
socket and a real database, with faults injected through ``PUT /api/v1/accounts/{id}/sandbox-faults``."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from core.crypto import load_cipher
from core.errors import PermanentProviderError, ProviderAuthError, TransientProviderError
from core.ids import new_id
from providers.social import pkce
from providers.social.base import (
    AccountCredentials,
    MediaInput,
    PostRequest,
    SocialPlatform,
    UnsupportedOperation,
)
from providers.social.sandbox import SandboxPlatform, wire_key
from store.db import transaction
from store.models import SocialAccount
from store.repositories.profiles import SocialAccountRepository
from store.repositories.sandbox import SandboxRepository
from tests.providers.social.helpers import publish
from tests.utils.factories import Tenant, connect_sandbox
from tests.utils.mp4 import tiny_mp4
from tests.utils.stack import Stack


@dataclass(frozen=True)
class Connected:
    id: str
    handle: str
    creds: AccountCredentials


@pytest.fixture
async def account(stack: Stack, http: httpx.AsyncClient, tenant: Tenant) -> Connected:
    """A sandbox account connected through the public API, with the credentials the worker would decrypt."""
    body = await connect_sandbox(http, tenant, None)
    async with stack.sessions() as session:
        row = await SocialAccountRepository(session).get(tenant.account_id, body["id"])
    assert row is not None and row.encrypted_tokens is not None
    tokens = load_cipher(stack.settings).decrypt(row.encrypted_tokens)
    return Connected(id=body["id"], handle=body["handle"], creds=AccountCredentials(**tokens))


@pytest.fixture
async def sandbox(stack: Stack) -> AsyncIterator[SandboxPlatform]:
    platform = SandboxPlatform(stack.base_url)
    try:
        yield platform
    finally:
        await platform.aclose()


def request(text: str, *media: MediaInput, key: str | None = None) -> PostRequest:
    return PostRequest(text=text, media=list(media), idempotency_key=key or f"cnt_{uuid.uuid4().hex[:8]}:acc")


def photo(stack: Stack, name: str = "photo.png") -> MediaInput:
    return MediaInput(url=f"{stack.base_url}/media/{name}", content_type="image/png")


async def set_faults(
    http: httpx.AsyncClient, tenant: Tenant, account: Connected, mode: str, times: int = 1, **extra: Any
) -> httpx.Response:
    response = await http.put(
        f"/api/v1/accounts/{account.id}/sandbox-faults",
        json={"mode": mode, "times": times, **extra},
        headers=tenant.headers,
    )
    assert response.status_code == 200, response.text
    assert response.json()["id"] == account.id
    return response


async def live_posts(http: httpx.AsyncClient, tenant: Tenant, account: Connected) -> list[dict[str, Any]]:
    response = await http.get(f"/api/v1/accounts/{account.id}/sandbox-posts", headers=tenant.headers)
    assert response.status_code == 200, response.text
    data: list[dict[str, Any]] = response.json()["data"]
    return data


async def stored_count(stack: Stack, account: Connected) -> int:
    async with stack.sessions() as session:
        return await SandboxRepository(session).count_live(account.creds.platform_user_id)


async def stored_faults(stack: Stack, tenant: Tenant, account: Connected) -> dict[str, Any]:
    async with stack.sessions() as session:
        row = await SocialAccountRepository(session).get(tenant.account_id, account.id)
    assert row is not None
    return row.sandbox_faults


def test_adapter_implements_the_interface() -> None:
    assert isinstance(SandboxPlatform("http://127.0.0.1:9"), SocialPlatform)


class TestPublishing:
    async def test_video_url_round_trips_to_media_urls_and_the_post_page(
        self, stack: Stack, http: httpx.AsyncClient, tenant: Tenant, account: Connected, sandbox: SandboxPlatform
    ) -> None:
        data = tiny_mp4()
        key = await stack.deps.storage.put("tests/sandbox", data, "video/mp4")
        clip = MediaInput(url=stack.deps.storage.url(key), content_type="video/mp4", data=data, size=len(data))

        post = await publish(sandbox, account.creds, request("A clip", clip))

        assert post.status == "published" and post.url is not None
        (listed,) = await live_posts(http, tenant, account)
        assert listed["mediaUrls"] == [clip.url]
        page = await http.get(post.url)
        assert f'<video src="{clip.url}" controls></video>' in page.text

    async def test_media_that_is_neither_image_nor_video_is_refused(
        self, stack: Stack, account: Connected, sandbox: SandboxPlatform
    ) -> None:
        page = MediaInput(url=f"{stack.base_url}/media/page.html", content_type="text/html")
        with pytest.raises(PermanentProviderError):
            await sandbox.upload_media(account.creds, request("x", page), page)

    async def test_full_flow_upload_create_poll_find_metrics_delete(
        self, stack: Stack, http: httpx.AsyncClient, tenant: Tenant, account: Connected, sandbox: SandboxPlatform
    ) -> None:
        since = datetime.now(UTC)
        post_request = request("Morning light over <the> lake", photo(stack))

        post = await publish(sandbox, account.creds, post_request)

        assert post.status == "published" and post.platform_post_id is not None
        assert post.url == f"{stack.settings.public_base_url}/sandbox/@{account.handle}/{post.platform_post_id}"
        (listed,) = await live_posts(http, tenant, account)
        assert listed["id"] == post.platform_post_id
        assert listed["mediaUrls"] == [photo(stack).url]
        assert listed["idempotencyKey"] == post_request.idempotency_key
        assert (await sandbox.find_post(account.creds, post_request, since)) == post
        page = await sandbox.list_posts(account.creds)
        assert [p.platform_post_id for p in page.posts] == [post.platform_post_id]
        assert page.posts[0].text == post_request.text

        metrics = await sandbox.fetch_metrics(account.creds, post.platform_post_id)
        again = await sandbox.fetch_metrics(account.creds, post.platform_post_id)
        assert metrics.views is not None and metrics.views > 0
        assert metrics.likes is not None and 0 <= metrics.likes <= metrics.views
        assert (again.likes, again.views) == (metrics.likes, metrics.views)

        await sandbox.delete_post(account.creds, post.platform_post_id)
        await sandbox.delete_post(account.creds, post.platform_post_id)  # a retried delete is not an error

        assert await live_posts(http, tenant, account) == []
        assert await stored_count(stack, account) == 0
        assert (await sandbox.poll_post(account.creds, post)).status == "failed"
        assert await sandbox.find_post(account.creds, post_request, since) is None
        with pytest.raises(PermanentProviderError) as missing:
            await sandbox.fetch_metrics(account.creds, post.platform_post_id)
        assert missing.value.status == 404

    async def test_repeat_with_the_same_key_returns_the_first_post(
        self, stack: Stack, http: httpx.AsyncClient, tenant: Tenant, account: Connected, sandbox: SandboxPlatform
    ) -> None:
        post_request = request("Same key twice")

        first = await sandbox.create_post(account.creds, post_request, [])
        second = await sandbox.create_post(account.creds, post_request, [])

        assert second == first
        assert await stored_count(stack, account) == 1
        raw = await http.post(
            f"/sandbox/v1/users/{account.creds.platform_user_id}/posts",
            json={"text": "Same key twice", "idempotencyKey": post_request.idempotency_key},
            headers={"Authorization": f"Bearer {account.creds.access_token}"},
        )
        assert raw.status_code == 200
        assert raw.json()["id"] == first.platform_post_id
        assert len(await live_posts(http, tenant, account)) == 1

    async def test_concurrent_repeats_of_one_key_create_one_post(
        self, stack: Stack, account: Connected, sandbox: SandboxPlatform
    ) -> None:
        post_request = request("Raced")

        posts = await asyncio.gather(*(sandbox.create_post(account.creds, post_request, []) for _ in range(6)))

        assert len({p.platform_post_id for p in posts}) == 1
        assert await stored_count(stack, account) == 1

    async def test_long_idempotency_keys_are_sent_as_a_digest_and_still_found(
        self, stack: Stack, account: Connected, sandbox: SandboxPlatform
    ) -> None:
        since = datetime.now(UTC)
        post_request = request("Long key", key="k" * 500)

        post = await sandbox.create_post(account.creds, post_request, [])

        assert wire_key(post_request.idempotency_key).startswith("sha256:")
        assert await sandbox.find_post(account.creds, post_request, since) == post
        assert await sandbox.create_post(account.creds, post_request, []) == post
        assert await stored_count(stack, account) == 1

    async def test_find_post_matches_text_only_on_posts_without_a_key(
        self, http: httpx.AsyncClient, account: Connected, sandbox: SandboxPlatform
    ) -> None:
        since = datetime.now(UTC)
        await sandbox.create_post(account.creds, request("Shared caption"), [])  # another request's post
        assert await sandbox.find_post(account.creds, request("Shared caption"), since) is None

        unkeyed = await http.post(
            f"/sandbox/v1/users/{account.creds.platform_user_id}/posts",
            json={"text": "Shared caption"},
            headers={"Authorization": f"Bearer {account.creds.access_token}"},
        )
        assert unkeyed.status_code == 201, unkeyed.text

        found = await sandbox.find_post(account.creds, request("Shared caption"), since)
        assert found is not None and found.platform_post_id == unkeyed.json()["id"]
        assert await sandbox.find_post(account.creds, request("Shared caption"), since + timedelta(hours=1)) is None

    async def test_public_page_renders_the_post(
        self, stack: Stack, http: httpx.AsyncClient, account: Connected, sandbox: SandboxPlatform
    ) -> None:
        media = await sandbox.upload_media(account.creds, request("x"), photo(stack, "sunset.png"))
        post = await sandbox.create_post(account.creds, request("Sunset <3 & friends"), [media])
        assert post.url is not None

        page = await http.get(post.url.removeprefix(stack.settings.public_base_url))

        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        assert "Sunset &lt;3 &amp; friends" in page.text
        assert f'<img src="{stack.base_url}/media/sunset.png"' in page.text
        assert f"@{account.handle}" in page.text
        wrong_handle = await http.get(f"/sandbox/@someone_else/{post.platform_post_id}")
        assert wrong_handle.status_code == 404

        assert post.platform_post_id is not None
        await sandbox.delete_post(account.creds, post.platform_post_id)
        gone = await http.get(f"/sandbox/@{account.handle}/{post.platform_post_id}")
        assert gone.status_code == 404
        assert gone.json()["error"]["code"] == "not_found"


class TestInjectedFaults:
    async def test_transient_fails_the_next_calls_then_succeeds(
        self,
        stack: Stack,
        http: httpx.AsyncClient,
        tenant: Tenant,
        account: Connected,
        sandbox: SandboxPlatform,
    ) -> None:
        await set_faults(http, tenant, account, "transient", times=2)
        post_request = request("After two outages")

        for _ in range(2):
            with pytest.raises(TransientProviderError) as failed:
                await sandbox.create_post(account.creds, post_request, [])
            assert failed.value.status == 503
        assert await stored_count(stack, account) == 0
        post = await sandbox.create_post(account.creds, post_request, [])

        assert post.status == "published"
        assert await stored_count(stack, account) == 1
        assert await stored_faults(stack, tenant, account) == {}

    async def test_concurrent_requests_use_up_each_fault_once(
        self, stack: Stack, http: httpx.AsyncClient, tenant: Tenant, account: Connected, sandbox: SandboxPlatform
    ) -> None:
        await set_faults(http, tenant, account, "transient", times=2)

        outcomes = await asyncio.gather(
            *(sandbox.create_post(account.creds, request(f"post {i}"), []) for i in range(6)), return_exceptions=True
        )

        failures = [o for o in outcomes if isinstance(o, BaseException)]
        assert len(failures) == 2 and all(isinstance(f, TransientProviderError) for f in failures), outcomes
        assert await stored_count(stack, account) == 4

    async def test_rate_limit_says_when_to_retry(
        self, stack: Stack, http: httpx.AsyncClient, tenant: Tenant, account: Connected, sandbox: SandboxPlatform
    ) -> None:
        await set_faults(http, tenant, account, "rate_limit")

        with pytest.raises(TransientProviderError) as limited:
            await sandbox.create_post(account.creds, request("Too fast"), [])

        assert limited.value.status == 429
        assert limited.value.retry_after == pytest.approx(1.0)
        assert await stored_count(stack, account) == 0
        await sandbox.create_post(account.creds, request("Slower"), [])
        assert await stored_count(stack, account) == 1

    async def test_permanent_refuses_until_cleared(
        self, stack: Stack, http: httpx.AsyncClient, tenant: Tenant, account: Connected, sandbox: SandboxPlatform
    ) -> None:
        await set_faults(http, tenant, account, "permanent")
        post_request = request("Never accepted")

        for _ in range(3):
            with pytest.raises(PermanentProviderError) as refused:
                await sandbox.create_post(account.creds, post_request, [])
            assert not isinstance(refused.value, ProviderAuthError)
            assert refused.value.status == 400
            assert "injected permanent fault" in refused.value.message
        assert await stored_count(stack, account) == 0

        await set_faults(http, tenant, account, "none")
        await sandbox.create_post(account.creds, post_request, [])
        assert await stored_count(stack, account) == 1

    async def test_after_create_loses_the_answer_but_the_post_exists_once(
        self, stack: Stack, http: httpx.AsyncClient, tenant: Tenant, account: Connected, sandbox: SandboxPlatform
    ) -> None:
        await set_faults(http, tenant, account, "after_create")
        since = datetime.now(UTC)
        post_request = request("Published, then the line dropped")

        with pytest.raises(TransientProviderError) as lost:
            await sandbox.create_post(account.creds, post_request, [])

        assert lost.value.status == 500
        assert await stored_count(stack, account) == 1
        found = await sandbox.find_post(account.creds, post_request, since)
        assert found is not None and found.status == "published"
        # A retry that skipped reconciliation still gets the same post back, not a second one.
        assert await sandbox.create_post(account.creds, post_request, []) == found
        (listed,) = await live_posts(http, tenant, account)
        assert listed["id"] == found.platform_post_id

    async def test_timeout_leaves_the_post_created(
        self, stack: Stack, http: httpx.AsyncClient, tenant: Tenant, account: Connected
    ) -> None:
        await set_faults(http, tenant, account, "timeout", seconds=1.5)
        since = datetime.now(UTC)
        post_request = request("Slow platform")
        impatient = SandboxPlatform(stack.base_url, timeout=0.3)
        try:
            with pytest.raises(TransientProviderError) as timed_out:
                await impatient.create_post(account.creds, post_request, [])
            assert "timed out" in timed_out.value.message
            assert await stored_count(stack, account) == 1
            found = await impatient.find_post(account.creds, post_request, since)
        finally:
            await impatient.aclose()

        assert found is not None
        (listed,) = await live_posts(http, tenant, account)
        assert listed["id"] == found.platform_post_id
        assert await stored_faults(stack, tenant, account) == {}

    async def test_faults_are_validated(self, http: httpx.AsyncClient, tenant: Tenant, account: Connected) -> None:
        for body in ({"mode": "explode"}, {"mode": "transient", "times": 0}, {"mode": "transient", "times": 101}):
            response = await http.put(
                f"/api/v1/accounts/{account.id}/sandbox-faults", json=body, headers=tenant.headers
            )
            assert response.status_code == 422, body


class TestAccess:
    async def test_wrong_token_is_an_auth_error(
        self, stack: Stack, account: Connected, sandbox: SandboxPlatform
    ) -> None:
        forged = account.creds.model_copy(update={"access_token": "sbx_tok_forged"})

        calls: list[Callable[[], Awaitable[object]]] = [
            lambda: sandbox.create_post(forged, request("forged"), []),
            lambda: sandbox.list_posts(forged),
            lambda: sandbox.upload_media(forged, request("forged"), photo(stack)),
        ]
        for call in calls:
            with pytest.raises(ProviderAuthError) as refused:
                await call()
            assert refused.value.status == 401
        assert await stored_count(stack, account) == 0

    async def test_a_token_only_opens_its_own_user(
        self, stack: Stack, http: httpx.AsyncClient, tenant: Tenant, account: Connected, sandbox: SandboxPlatform
    ) -> None:
        other = await connect_sandbox(http, tenant, None)
        async with stack.sessions() as session:
            row = await SocialAccountRepository(session).get(tenant.account_id, other["id"])
        assert row is not None
        mixed = account.creds.model_copy(update={"platform_user_id": row.platform_user_id})

        with pytest.raises(ProviderAuthError):
            await sandbox.list_posts(mixed)
        anonymous = await http.get(f"/sandbox/v1/users/{account.creds.platform_user_id}/posts")
        assert anonymous.status_code == 401
        assert anonymous.json()["error"]["code"] == "invalid_token"

    async def test_another_tenant_cannot_see_or_change_the_account(
        self,
        stack: Stack,
        http: httpx.AsyncClient,
        tenant: Tenant,
        other_tenant: Tenant,
        account: Connected,
        sandbox: SandboxPlatform,
    ) -> None:
        await sandbox.create_post(account.creds, request("Mine"), [])

        posts = await http.get(f"/api/v1/accounts/{account.id}/sandbox-posts", headers=other_tenant.headers)
        faults = await http.put(
            f"/api/v1/accounts/{account.id}/sandbox-faults",
            json={"mode": "permanent", "times": 1},
            headers=other_tenant.headers,
        )

        assert posts.status_code == 404 and posts.json()["error"]["code"] == "not_found"
        assert faults.status_code == 404 and faults.json()["error"]["code"] == "not_found"
        assert await stored_faults(stack, tenant, account) == {}
        await sandbox.create_post(account.creds, request("Still mine"), [])
        assert len(await live_posts(http, tenant, account)) == 2

    async def test_non_sandbox_accounts_have_no_sandbox_endpoints(
        self, stack: Stack, http: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        async with transaction(stack.sessions) as session:
            x_account = await SocialAccountRepository(session).add(
                SocialAccount(id=new_id("acc"), account_id=tenant.account_id, platform="x", handle="mia_on_x")
            )

        faults = await http.put(
            f"/api/v1/accounts/{x_account.id}/sandbox-faults", json={"mode": "transient"}, headers=tenant.headers
        )
        posts = await http.get(f"/api/v1/accounts/{x_account.id}/sandbox-posts", headers=tenant.headers)

        for response in (faults, posts):
            assert response.status_code == 422
            assert response.json()["error"]["details"][0]["field"] == "platform"


class TestTokens:
    async def test_no_oauth_and_tokens_that_do_not_expire(self, account: Connected, sandbox: SandboxPlatform) -> None:
        refreshed = await sandbox.refresh_token(account.creds)

        assert refreshed.access_token == account.creds.access_token
        assert refreshed.to_credentials(account.creds).platform_user_id == account.creds.platform_user_id
        verifier = pkce.new_code_verifier()
        assert sandbox.code_challenge(verifier) == pkce.s256_challenge(verifier)
        with pytest.raises(UnsupportedOperation, match="POST /api/v1/accounts"):
            sandbox.authorize_url("state", "challenge", "https://app.example/callback")
        with pytest.raises(UnsupportedOperation):
            await sandbox.exchange_code("code", verifier, "https://app.example/callback")
