"""Each platform's fake runs once per session on a real local port; every test starts from a reset state
and gets a fresh adapter pointed at it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from providers.social.base import AccountCredentials
from providers.social.instagram import InstagramPlatform
from providers.social.tiktok import TikTokPlatform
from providers.social.x import XPlatform
from tests.providers.social.fakes import instagram_fake, tiktok_fake, x_fake
from tests.providers.social.fakes.server import LiveServer

S = TypeVar("S")
REDIRECT_URI = "https://app.autopersonas.test/oauth/callback"


@dataclass
class Fake(Generic[S]):
    url: str
    state: S


def follow_authorize(url: str) -> dict[str, str]:
    """Play the user's browser: open the authorize URL and read the code and state off the redirect."""
    response = httpx.get(url, follow_redirects=False)
    assert response.status_code == 302, response.text
    location = response.headers["location"]
    assert location.startswith(REDIRECT_URI)
    return {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}


@pytest.fixture(scope="session")
def x_server() -> Iterator[Fake[x_fake.XFakeState]]:
    state = x_fake.XFakeState(client_id="x-client-id", client_secret="x-client-secret")
    with LiveServer(x_fake.build_app(state)) as server:
        yield Fake(server.url, state)


@pytest.fixture
def x(x_server: Fake[x_fake.XFakeState]) -> Fake[x_fake.XFakeState]:
    x_server.state.reset()
    return x_server


@pytest.fixture
async def x_adapter(x: Fake[x_fake.XFakeState]) -> AsyncIterator[XPlatform]:
    adapter = XPlatform(
        client_id="x-client-id",
        client_secret="x-client-secret",
        base_url=x.url,
        authorize_endpoint=f"{x.url}/i/oauth2/authorize",
        token_endpoint=f"{x.url}/2/oauth2/token",
        chunk_size=64 * 1024,
        poll_interval=0.01,
    )
    yield adapter
    await adapter.aclose()


@pytest.fixture
def x_creds(x: Fake[x_fake.XFakeState]) -> AccountCredentials:
    user_id = next(iter(x.state.users))
    return AccountCredentials(access_token=x.state.issue_token(user_id), platform_user_id=user_id)


@pytest.fixture(scope="session")
def tiktok_server() -> Iterator[Fake[tiktok_fake.TikTokFakeState]]:
    state = tiktok_fake.TikTokFakeState(client_key="tt-client-key", client_secret="tt-client-secret")
    with LiveServer(tiktok_fake.build_app(state)) as server:
        yield Fake(server.url, state)


@pytest.fixture
def tiktok(tiktok_server: Fake[tiktok_fake.TikTokFakeState]) -> Fake[tiktok_fake.TikTokFakeState]:
    tiktok_server.state.reset()
    return tiktok_server


@pytest.fixture
async def tiktok_adapter(tiktok: Fake[tiktok_fake.TikTokFakeState]) -> AsyncIterator[TikTokPlatform]:
    adapter = TikTokPlatform(
        client_key="tt-client-key",
        client_secret="tt-client-secret",
        base_url=tiktok.url,
        authorize_endpoint=f"{tiktok.url}/v2/auth/authorize/",
        token_endpoint=f"{tiktok.url}/v2/oauth/token/",
        chunk_size=tiktok_fake.MIN_CHUNK,
        poll_interval=0.01,
    )
    yield adapter
    await adapter.aclose()


@pytest.fixture
def tiktok_creds(tiktok: Fake[tiktok_fake.TikTokFakeState]) -> AccountCredentials:
    open_id = tiktok.state.open_id
    return AccountCredentials(access_token=tiktok.state.issue_token(open_id), platform_user_id=open_id)


@pytest.fixture(scope="session")
def instagram_server() -> Iterator[Fake[instagram_fake.InstagramFakeState]]:
    state = instagram_fake.InstagramFakeState(app_id="ig-app-id", app_secret="ig-app-secret")
    with LiveServer(instagram_fake.build_app(state)) as server:
        yield Fake(server.url, state)


@pytest.fixture
def instagram(
    instagram_server: Fake[instagram_fake.InstagramFakeState],
) -> Fake[instagram_fake.InstagramFakeState]:
    instagram_server.state.reset()
    return instagram_server


@pytest.fixture
async def instagram_adapter(
    instagram: Fake[instagram_fake.InstagramFakeState],
) -> AsyncIterator[InstagramPlatform]:
    adapter = InstagramPlatform(
        client_id="ig-app-id",
        client_secret="ig-app-secret",
        base_url=instagram.url,
        authorize_endpoint=f"{instagram.url}/oauth/authorize",
        token_endpoint=f"{instagram.url}/oauth/access_token",
        poll_interval=0.01,
    )
    yield adapter
    await adapter.aclose()


@pytest.fixture
def instagram_creds(instagram: Fake[instagram_fake.InstagramFakeState]) -> AccountCredentials:
    return AccountCredentials(
        access_token=instagram.state.issue_token(), platform_user_id=instagram.state.user_id
    )
