"""Connecting an X account through OAuth 2.0 + PKCE against a local server speaking X's wire format, then
publishing to it through the same workflow as every platform."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from temporalio.testing import WorkflowEnvironment

from core.crypto import load_cipher
from core.scopes import Scope
from store.db import transaction
from store.models import OAuthState
from store.repositories.profiles import SocialAccountRepository
from store.types import utcnow
from tests.conftest import temporal_address
from tests.providers.social.fakes import tiktok_fake, x_fake
from tests.providers.social.fakes.server import LiveServer
from tests.utils.factories import Tenant, add_key, make_tenant
from tests.utils.publishing import approved_content, wait_for_publish
from tests.utils.stack import Stack, running_stack, stack_settings

REDIRECT = "https://app.example/oauth/done"


@pytest.fixture(scope="module")
def x_server() -> Iterator[tuple[str, x_fake.XFakeState]]:
    state = x_fake.XFakeState(client_id="x-client", client_secret="x-secret")
    with LiveServer(x_fake.build_app(state)) as server:
        yield server.url, state


@pytest.fixture(scope="module")
def tiktok_server() -> Iterator[str]:
    with LiveServer(tiktok_fake.build_app(tiktok_fake.TikTokFakeState("tt-key", "tt-secret"))) as server:
        yield server.url


@pytest.fixture
async def x_stack(
    database_url: str,
    temporal_env: WorkflowEnvironment,
    tmp_path_factory: pytest.TempPathFactory,
    x_server: tuple[str, x_fake.XFakeState],
    tiktok_server: str,
) -> AsyncIterator[Stack]:
    """A stack with X and TikTok configured, each pointed at a local server speaking its wire format."""
    url, _ = x_server
    settings = stack_settings(
        tmp_path_factory.mktemp("x"),
        database_url,
        temporal_address(temporal_env),
        x_client_id="x-client",
        x_client_secret="x-secret",
        x_api_base_url=url,
        x_authorize_url=f"{url}/i/oauth2/authorize",
        x_token_url=f"{url}/2/oauth2/token",
        tiktok_client_key="tt-key",
        tiktok_client_secret="tt-secret",
        tiktok_api_base_url=tiktok_server,
        tiktok_authorize_url=f"{tiktok_server}/v2/auth/authorize/",
        tiktok_token_url=f"{tiktok_server}/v2/oauth/token/",
        publish_poll_seconds=0.1,
    )
    async with running_stack(settings, temporal_env.client) as stack:
        yield stack


async def _approve(
    http: httpx.AsyncClient, tenant: Tenant, profile_id: str | None, platform: str = "x"
) -> dict[str, str]:
    """Start a connection with ``tenant``'s key and play the user's browser up to our redirect: the query
    (``code``, ``state``) the platform sends back."""
    body = {"redirectUri": REDIRECT} | ({"profileId": profile_id} if profile_id else {})
    started = await http.post(f"/api/v1/accounts/connect/{platform}", json=body, headers=tenant.headers)
    assert started.status_code == 201, started.text
    approval = await http.get(started.json()["authorizeUrl"], follow_redirects=False)
    assert approval.status_code == 302
    return {k: v[0] for k, v in parse_qs(urlsplit(approval.headers["location"]).query).items()}


async def _connect(http: httpx.AsyncClient, tenant: Tenant, profile_id: str, platform: str = "x") -> dict[str, str]:
    started = await http.post(
        f"/api/v1/accounts/connect/{platform}",
        json={"redirectUri": REDIRECT, "profileId": profile_id},
        headers=tenant.headers,
    )
    assert started.status_code == 201, started.text
    authorize = started.json()["authorizeUrl"]
    assert "code_challenge=" in authorize
    # Play the user's browser: approve on the platform, land on our redirect with code and state.
    approval = await http.get(authorize, follow_redirects=False)
    assert approval.status_code == 302
    query = {k: v[0] for k, v in parse_qs(urlsplit(approval.headers["location"]).query).items()}
    callback = await http.get("/oauth/callback", params=query, headers=tenant.headers)
    assert callback.status_code == 200, callback.text
    replay = await http.get("/oauth/callback", params=query, headers=tenant.headers)
    assert replay.status_code == 400  # a state works once
    assert replay.json()["error"]["code"] == "invalid_state"
    account: dict[str, str] = callback.json()
    return account


async def test_connect_x_then_publish_to_it(x_stack: Stack, x_server: tuple[str, x_fake.XFakeState]) -> None:
    _, platform = x_server
    tenant = await make_tenant(x_stack.sessions)
    async with httpx.AsyncClient(base_url=x_stack.base_url, timeout=60) as http:
        content, profile = await approved_content(http, tenant)
        account = await _connect(http, tenant, profile["id"])
        assert account["platform"] == "x"
        assert account["status"] == "active"
        assert account["handle"] == "autopersonas_dev"
        assert account["profileId"] == profile["id"]

        async with transaction(x_stack.sessions) as session:
            row = await SocialAccountRepository(session).get(tenant.account_id, account["id"])
            assert row is not None and row.encrypted_tokens is not None
            assert b"x-at-" not in row.encrypted_tokens  # tokens are encrypted at rest

        before = len(platform.posts)
        await http.post(f"/api/v1/content/{content['id']}/publish", headers=tenant.headers)
        status = await wait_for_publish(http, tenant, content["id"])
        [target] = status["targets"]
        assert target["status"] == "published", target
        assert target["platformPostId"] in platform.tweets
        assert len(platform.posts) == before + 1


async def test_connect_refuses_unconfigured_platforms(x_stack: Stack) -> None:
    tenant = await make_tenant(x_stack.sessions)
    async with httpx.AsyncClient(base_url=x_stack.base_url, timeout=30) as http:
        response = await http.post(
            "/api/v1/accounts/connect/instagram", json={"redirectUri": REDIRECT}, headers=tenant.headers
        )
        assert response.status_code == 422
        assert response.json()["error"]["details"][0]["field"] == "platform"
        bad_state = await http.get("/oauth/callback", params={"state": "nope", "code": "c"}, headers=tenant.headers)
        assert bad_state.status_code == 400


async def test_callback_without_a_key_is_401_and_keeps_the_state(x_stack: Stack) -> None:
    tenant = await make_tenant(x_stack.sessions)
    async with httpx.AsyncClient(base_url=x_stack.base_url, timeout=30) as http:
        query = await _approve(http, tenant, None)
        anonymous = await http.get("/oauth/callback", params=query)
        assert anonymous.status_code == 401
        assert anonymous.json()["error"]["code"] == "missing_api_key"
        finished = await http.get("/oauth/callback", params=query, headers=tenant.headers)
        assert finished.status_code == 200, finished.text


async def test_a_state_is_refused_to_any_other_key_and_not_consumed(x_stack: Stack) -> None:
    """A link started by one tenant and approved by someone else must not attach that person's account to the
    first tenant: another tenant's key, and another key of the same account, get the same bare 400."""
    tenant = await make_tenant(x_stack.sessions)
    other_tenant = await make_tenant(x_stack.sessions)
    second_key = await add_key(x_stack.sessions, tenant.account_id, [Scope.PROFILE_WRITE])
    async with httpx.AsyncClient(base_url=x_stack.base_url, timeout=30) as http:
        query = await _approve(http, tenant, None)
        for stranger in (other_tenant, second_key):
            refused = await http.get("/oauth/callback", params=query, headers=stranger.headers)
            assert refused.status_code == 400, refused.text
            assert refused.json()["error"] == {
                "code": "invalid_state",
                "message": "unknown or expired OAuth state; start the connection again",
                "details": None,
            }
        for who in (tenant, other_tenant):
            listed = await http.get("/api/v1/accounts", params={"platform": "x"}, headers=who.headers)
            assert listed.json()["data"] == []
        finished = await http.get("/oauth/callback", params=query, headers=tenant.headers)
        assert finished.status_code == 200, finished.text  # the refusals did not burn the state
        assert finished.json()["platform"] == "x"


async def test_an_expired_state_is_refused(x_stack: Stack) -> None:
    tenant = await make_tenant(x_stack.sessions)
    async with httpx.AsyncClient(base_url=x_stack.base_url, timeout=30) as http:
        query = await _approve(http, tenant, None)
        async with transaction(x_stack.sessions) as session:
            row = await session.get(OAuthState, query["state"])
            assert row is not None
            assert row.expires_at <= utcnow() + timedelta(seconds=x_stack.settings.oauth_state_ttl_seconds)
            row.expires_at = utcnow() - timedelta(seconds=1)
        expired = await http.get("/oauth/callback", params=query, headers=tenant.headers)
        assert expired.status_code == 400
        assert expired.json()["error"]["code"] == "invalid_state"


async def test_access_log_lines_carry_no_query_string(x_stack: Stack) -> None:
    """The app installs the filter on uvicorn's access logger; a callback line keeps its path, not its code."""
    logger = logging.getLogger("uvicorn.access")
    seen: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record.getMessage())

    handler = Collect()
    logger.addHandler(handler)
    try:
        record = logger.makeRecord(
            logger.name, logging.INFO, __file__, 0, '%s - "%s %s HTTP/%s" %d',
            ("127.0.0.1:5000", "GET", "/oauth/callback?state=s3cr3t&code=c0de", "1.1", 200), None,
        )
        logger.handle(record)
    finally:
        logger.removeHandler(handler)
    assert seen == ['127.0.0.1:5000 - "GET /oauth/callback HTTP/1.1" 200']


async def _expire_soon(stack: Stack, tenant: Tenant, account_id: str) -> str:
    """Make the stored access token expire in a minute, as if it had aged; returns the old token."""
    cipher = load_cipher(stack.settings)
    async with transaction(stack.sessions) as session:
        row = await SocialAccountRepository(session).get(tenant.account_id, account_id)
        assert row is not None and row.encrypted_tokens is not None
        tokens = cipher.decrypt(row.encrypted_tokens)
        tokens["expires_at"] = (utcnow() + timedelta(minutes=1)).isoformat()
        row.encrypted_tokens = cipher.encrypt(tokens)
    return str(tokens["access_token"])


async def test_token_is_refreshed_before_it_expires(x_stack: Stack) -> None:
    tenant = await make_tenant(x_stack.sessions)
    async with httpx.AsyncClient(base_url=x_stack.base_url, timeout=60) as http:
        content, profile = await approved_content(http, tenant)
        account = await _connect(http, tenant, profile["id"])
        old_token = await _expire_soon(x_stack, tenant, account["id"])
        await http.post(f"/api/v1/content/{content['id']}/publish", headers=tenant.headers)
        status = await wait_for_publish(http, tenant, content["id"])
        assert status["targets"][0]["status"] == "published"
        async with transaction(x_stack.sessions) as session:
            row = await SocialAccountRepository(session).get(tenant.account_id, account["id"])
            assert row is not None and row.encrypted_tokens is not None
            assert load_cipher(x_stack.settings).decrypt(row.encrypted_tokens)["access_token"] != old_token
            assert row.status == "active"


async def test_account_that_cannot_refresh_needs_reauth(
    x_stack: Stack, x_server: tuple[str, x_fake.XFakeState]
) -> None:
    _, platform = x_server
    tenant = await make_tenant(x_stack.sessions)
    async with httpx.AsyncClient(base_url=x_stack.base_url, timeout=60) as http:
        content, profile = await approved_content(http, tenant)
        account = await _connect(http, tenant, profile["id"])
        await _expire_soon(x_stack, tenant, account["id"])
        platform.refresh_tokens.clear()  # the user revoked the app on X
        await http.post(f"/api/v1/content/{content['id']}/publish", headers=tenant.headers)
        status = await wait_for_publish(http, tenant, content["id"])
        [target] = status["targets"]
        assert target["status"] == "failed"
        assert target["errorCode"] == "ProviderAuthError"
        assert target["attempts"] == 1
        fetched = (await http.get(f"/api/v1/accounts/{account['id']}", headers=tenant.headers)).json()
        assert fetched["status"] == "needs_reauth"
        again = await http.post(f"/api/v1/content/{content['id']}/publish/retry", headers=tenant.headers)
        assert again.status_code in (202, 409)


async def test_tiktok_refuses_an_image_with_its_reason(x_stack: Stack) -> None:
    """TikTok direct post takes videos: an image post fails at once, with TikTok's reason, and is not retried."""
    tenant = await make_tenant(x_stack.sessions)
    async with httpx.AsyncClient(base_url=x_stack.base_url, timeout=60) as http:
        content, profile = await approved_content(http, tenant)
        account = await _connect(http, tenant, profile["id"], "tiktok")
        assert account["platform"] == "tiktok"
        await http.post(f"/api/v1/content/{content['id']}/publish", headers=tenant.headers)
        status = await wait_for_publish(http, tenant, content["id"])
        [target] = status["targets"]
        assert target["status"] == "failed"
        assert target["attempts"] == 1
        assert "video" in target["errorMessage"]
        assert status["contentStatus"] == "publish_failed"
