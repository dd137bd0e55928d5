"""Publishing a content item that has a video: the video, not the image, goes to the platform, through the
same workflow and never-twice guards as every post. Against the embedded sandbox, and against a local
server speaking TikTok's wire format, both as a chunked FILE_UPLOAD and as a PULL_FROM_URL that the fake
TikTok downloads from our ``/media`` URL. Each runs on SQLite and PostgreSQL."""

from __future__ import annotations

import html
from collections.abc import AsyncIterator, Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from temporalio.testing import WorkflowEnvironment

from tests.conftest import temporal_address
from tests.providers.social.fakes import tiktok_fake
from tests.providers.social.fakes.server import LiveServer
from tests.utils.factories import Tenant, make_tenant
from tests.utils.mp4 import tiny_mp4
from tests.utils.publishing import (
    approved_content,
    attach_video,
    sandbox_account,
    sandbox_posts,
    wait_for_publish,
)
from tests.utils.servers import free_port
from tests.utils.stack import Stack, running_stack, stack_settings

REDIRECT = "https://app.example/oauth/done"


async def test_video_item_publishes_its_video_to_the_sandbox(
    stack: Stack, http: httpx.AsyncClient, tenant: Tenant
) -> None:
    content, profile = await approved_content(http, tenant)
    video_url = await attach_video(stack, content["id"])
    account = await sandbox_account(http, tenant, profile["id"])

    await http.post(f"/api/v1/content/{content['id']}/publish", headers=tenant.headers)
    status = await wait_for_publish(http, tenant, content["id"])

    assert status["contentStatus"] == "published"
    [target] = status["targets"]
    assert target["status"] == "published"
    [post] = await sandbox_posts(http, tenant, account["id"])
    assert post["mediaUrls"] == [video_url]
    page = await http.get(target["url"])
    assert f'<video src="{html.escape(video_url, quote=True)}"' in page.text
    # What the <video> on that page does first: ask for a range of the file.
    played = await http.get(video_url, headers={"Range": "bytes=0-"})
    assert played.status_code == 206 and played.content == tiny_mp4()


async def test_video_publish_whose_answer_is_lost_posts_the_video_once(
    stack: Stack, http: httpx.AsyncClient, tenant: Tenant
) -> None:
    content, profile = await approved_content(http, tenant)
    video_url = await attach_video(stack, content["id"])
    account = await sandbox_account(http, tenant, profile["id"], {"mode": "after_create", "times": 2})

    await http.post(f"/api/v1/content/{content['id']}/publish", headers=tenant.headers)
    status = await wait_for_publish(http, tenant, content["id"])

    assert status["targets"][0]["status"] == "published"
    assert status["targets"][0]["attempts"] >= 2
    posts = await sandbox_posts(http, tenant, account["id"])
    assert [p["mediaUrls"] for p in posts] == [[video_url]]


@pytest.fixture(scope="module")
def tiktok_server() -> Iterator[tuple[str, tiktok_fake.TikTokFakeState]]:
    state = tiktok_fake.TikTokFakeState("tt-key", "tt-secret")
    with LiveServer(tiktok_fake.build_app(state)) as server:
        yield server.url, state


@pytest.fixture(params=["FILE_UPLOAD", "PULL_FROM_URL"])
async def tiktok_stack(
    request: pytest.FixtureRequest,
    database_url: str,
    temporal_env: WorkflowEnvironment,
    tmp_path_factory: pytest.TempPathFactory,
    tiktok_server: tuple[str, tiktok_fake.TikTokFakeState],
) -> AsyncIterator[Stack]:
    """A stack with TikTok pointed at the fake. For PULL_FROM_URL our media prefix is the one "verified" with
    TikTok, and the fake downloads the video from it as TikTok's servers would."""
    url, state = tiktok_server
    state.reset()
    port = free_port()
    public = f"http://127.0.0.1:{port}"
    pull = request.param == "PULL_FROM_URL"
    if pull:
        state.verified_prefix = f"{public}/media/"
        state.download_pulls = True
    settings = stack_settings(
        tmp_path_factory.mktemp("tiktok"),
        database_url,
        temporal_address(temporal_env),
        api_port=port,
        public_base_url=public,
        tiktok_client_key="tt-key",
        tiktok_client_secret="tt-secret",
        tiktok_api_base_url=url,
        tiktok_authorize_url=f"{url}/v2/auth/authorize/",
        tiktok_token_url=f"{url}/v2/oauth/token/",
        tiktok_pull_url_prefix=f"{public}/media/" if pull else None,
        publish_poll_seconds=0.1,
    )
    async with running_stack(settings, temporal_env.client) as stack:
        yield stack


async def connect_tiktok(http: httpx.AsyncClient, tenant: Tenant, profile_id: str) -> dict[str, str]:
    started = await http.post(
        "/api/v1/accounts/connect/tiktok",
        json={"redirectUri": REDIRECT, "profileId": profile_id},
        headers=tenant.headers,
    )
    assert started.status_code == 201, started.text
    approval = await http.get(started.json()["authorizeUrl"], follow_redirects=False)
    assert approval.status_code == 302
    query = {k: v[0] for k, v in parse_qs(urlsplit(approval.headers["location"]).query).items()}
    callback = await http.get("/oauth/callback", params=query, headers=tenant.headers)
    assert callback.status_code == 200, callback.text
    account: dict[str, str] = callback.json()
    return account


async def test_video_item_publishes_to_tiktok(
    request: pytest.FixtureRequest,
    tiktok_stack: Stack,
    tiktok_server: tuple[str, tiktok_fake.TikTokFakeState],
) -> None:
    _, state = tiktok_server
    tenant = await make_tenant(tiktok_stack.sessions)
    async with httpx.AsyncClient(base_url=tiktok_stack.base_url, timeout=60) as http:
        content, profile = await approved_content(http, tenant)
        video_url = await attach_video(tiktok_stack, content["id"])
        account = await connect_tiktok(http, tenant, profile["id"])

        await http.post(f"/api/v1/content/{content['id']}/publish", headers=tenant.headers)
        status = await wait_for_publish(http, tenant, content["id"])

    assert status["contentStatus"] == "published"
    [target] = status["targets"]
    assert target["status"] == "published", target
    assert target["accountId"] == account["id"]
    assert target["platformPostId"] in state.videos
    assert target["url"] == f"https://www.tiktok.com/@persona/video/{target['platformPostId']}"
    [published] = state.publishes.values()
    source = request.node.callspec.params["tiktok_stack"]
    assert published.source == source
    # Either way TikTok ended up with exactly our MP4: pushed in chunks, or pulled from our media URL.
    assert bytes(published.received) == tiny_mp4()
    if source == "PULL_FROM_URL":
        assert published.video_url == video_url
    assert published.title.startswith(content["caption"].split()[0])
