"""Videos end to end over HTTP with the real local renderer (at a quarter of the platform size, 3 s):
a video job whose MP4 decodes to what the item says, a three-variant comparison of distinct decodable
videos with a pick, one failed variant that does not sink the others, and one charge per render."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from PIL import Image
from temporalio.testing import WorkflowEnvironment

from core.errors import ContentPolicyError
from core.scopes import Scope
from providers.video.base import RenderedVideo, RenderStatus, VideoProvider, VideoRequest
from providers.video.probe import inspect
from tests.api.test_content import upload_content
from tests.conftest import temporal_address
from tests.utils.factories import Tenant, add_key, create_influencer, create_profile, make_tenant
from tests.utils.polling import wait_for_job
from tests.utils.stack import Stack, running_stack, stack_settings
from worker import WorkerDependencies

# Renders whose hook is this are refused by the provider, permanently: the variant that asks for it fails.
REFUSED_HOOK = "refuse this render"
FINISHED = {"completed", "partially_failed", "failed"}


@dataclass
class RefusingProvider:
    """The real local renderer, except that it refuses one hook text the way a content filter would."""

    inner: VideoProvider
    name: str = "refusing-local"

    async def start(self, request: VideoRequest) -> str:
        if request.hook_text == REFUSED_HOOK:
            raise ContentPolicyError("the hook text was refused by the content filter")
        return await self.inner.start(request)

    async def status(self, render_id: str) -> RenderStatus:
        return await self.inner.status(render_id)

    async def download(self, render_id: str) -> RenderedVideo:
        return await self.inner.download(render_id)

    async def cancel(self, render_id: str) -> None:
        await self.inner.cancel(render_id)

    async def aclose(self) -> None:
        await self.inner.aclose()


def _refusing(deps: WorkerDependencies) -> None:
    deps.video = RefusingProvider(deps.video)


@pytest.fixture(scope="module")
async def video_stack(
    database_url: str, temporal_env: WorkflowEnvironment, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Stack]:
    settings = stack_settings(
        tmp_path_factory.mktemp("video"), database_url, temporal_address(temporal_env), video_local_scale=0.25
    )
    async with running_stack(settings, temporal_env.client, customize=_refusing) as stack:
        yield stack


@pytest.fixture
async def vhttp(video_stack: Stack) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=video_stack.base_url, timeout=60) as client:
        yield client


def textured_png() -> bytes:
    """A picture with detail everywhere: moving over a flat colour would give identical frames whatever the
    motion."""
    image = Image.new("RGB", (480, 480))
    image.putdata([((x * 7) % 256, (y * 5) % 256, ((x ^ y) * 3) % 256) for y in range(480) for x in range(480)])
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


async def _item(http: httpx.AsyncClient, tenant: Tenant, caption: str = "Morning light. Coffee first.") -> str:
    influencer = await create_influencer(http, tenant)
    profile = await create_profile(http, tenant, influencer["id"])
    return str((await upload_content(http, tenant, profile["id"], caption=caption, image=textured_png()))["id"])


async def _wait_for_comparison(
    http: httpx.AsyncClient, tenant: Tenant, comparison_id: str, timeout: float = 240.0
) -> dict[str, Any]:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        response = await http.get(f"/api/v1/video-comparisons/{comparison_id}", headers=tenant.headers)
        assert response.status_code == 200, response.text
        comparison: dict[str, Any] = response.json()
        if comparison["status"] in FINISHED:
            return comparison
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"comparison {comparison_id} still {comparison['status']} after {timeout}s")
        await asyncio.sleep(0.25)


async def _video_units(http: httpx.AsyncClient, tenant: Tenant) -> tuple[int, int]:
    """(charges, seconds) of video generation in the account's usage."""
    usage = (await http.get("/api/v1/usage", headers=tenant.headers)).json()
    rows = [row for row in usage["days"] if row["action"] == "video_generation"]
    return sum(row["count"] for row in rows), sum(row["units"] for row in rows)


async def test_video_job_makes_the_item_a_decodable_video(video_stack: Stack, vhttp: httpx.AsyncClient) -> None:
    tenant = await make_tenant(video_stack.sessions)
    content_id = await _item(vhttp, tenant)
    body = {"durationSeconds": 3, "aspectRatio": "1:1", "motion": "pan_left", "hookText": "Wait for it"}
    started = await vhttp.post(f"/api/v1/content/{content_id}/video", json=body, headers=tenant.headers)
    assert started.status_code == 202, started.text
    job = started.json()
    assert job["kind"] == "video"
    assert started.headers["location"] == f"/api/v1/jobs/{job['id']}"
    assert job["workflowId"] == f"video-{content_id}"

    again = await vhttp.post(f"/api/v1/content/{content_id}/video", json=body, headers=tenant.headers)
    assert again.status_code == 409, again.text
    assert again.json()["error"]["code"] == "already_running"

    # The key that started the job may follow it with content:generate alone.
    generator = await add_key(video_stack.sessions, tenant.account_id, [Scope.CONTENT_GENERATE])
    done = await wait_for_job(vhttp, generator, job["id"], timeout=240)
    assert done["status"] == "completed", done
    assert done["result"]["contentId"] == content_id

    item = (await vhttp.get(f"/api/v1/content/{content_id}", headers=tenant.headers)).json()
    assert item["mediaType"] == "video"
    video = item["video"]
    assert video["codec"] == "h264"
    assert video["durationSeconds"] == pytest.approx(3.0, abs=0.1)
    assert (video["width"], video["height"]) == (done["result"]["width"], done["result"]["height"])
    assert video["width"] == video["height"]  # 1:1
    data = (await vhttp.get(video["url"])).content
    assert len(data) == video["sizeBytes"]
    info = await asyncio.to_thread(inspect, data)
    assert (info.width, info.height) == (video["width"], video["height"])
    assert info.codec == "h264"
    assert info.duration_seconds == pytest.approx(3.0, abs=0.1)
    assert info.frame_count == round(info.fps * 3)
    poster = await vhttp.get(video["posterUrl"])
    assert poster.status_code == 200 and poster.content[:3] == b"\xff\xd8\xff"  # a JPEG
    assert item["mediaUrl"] is not None  # the image stays

    assert await _video_units(vhttp, tenant) == (1, 3)


async def test_video_refused_for_rejected_content(video_stack: Stack, vhttp: httpx.AsyncClient) -> None:
    tenant = await make_tenant(video_stack.sessions)
    content_id = await _item(vhttp, tenant)
    await vhttp.post(f"/api/v1/content/{content_id}/reject", headers=tenant.headers)
    for path in ("video", "video-comparison"):
        response = await vhttp.post(f"/api/v1/content/{content_id}/{path}", headers=tenant.headers)
        assert response.status_code == 409, response.text
        assert response.json()["error"]["details"]["status"] == "rejected"


async def test_comparison_of_three_variants_renders_distinct_videos_and_one_is_selected(
    video_stack: Stack, vhttp: httpx.AsyncClient
) -> None:
    tenant = await make_tenant(video_stack.sessions)
    content_id = await _item(vhttp, tenant)
    started = await vhttp.post(
        f"/api/v1/content/{content_id}/video-comparison",
        json={"variants": 3, "durationSeconds": 3, "vary": ["motion"]},
        headers=tenant.headers,
    )
    assert started.status_code == 202, started.text
    comparison = started.json()
    assert comparison["id"].startswith("vcmp_")
    assert comparison["contentId"] == content_id
    assert [v["label"] for v in comparison["variants"]] == ["A", "B", "C"]
    assert len({v["params"]["motion"] for v in comparison["variants"]}) == 3

    done = await _wait_for_comparison(vhttp, tenant, comparison["id"])
    assert done["status"] == "completed", done
    videos = [v["video"] for v in done["variants"]]
    assert all(v["status"] == "completed" for v in done["variants"])
    blobs = [(await vhttp.get(v["url"])).content for v in videos]
    assert len(set(blobs)) == 3  # three distinct videos
    for video, blob in zip(videos, blobs, strict=True):
        info = await asyncio.to_thread(inspect, blob)
        assert (info.width, info.height, info.codec) == (video["width"], video["height"], "h264")
        assert info.duration_seconds == pytest.approx(3.0, abs=0.1)
        assert info.frame_count > 0

    listed = (await vhttp.get(f"/api/v1/content/{content_id}/video-comparisons", headers=tenant.headers)).json()
    assert [c["id"] for c in listed["data"]] == [comparison["id"]]

    chosen = done["variants"][1]
    selected = await vhttp.post(
        f"/api/v1/video-comparisons/{comparison['id']}/select", json={"variantId": chosen["id"]}, headers=tenant.headers
    )
    assert selected.status_code == 200, selected.text
    assert selected.json()["selectedVariantId"] == chosen["id"]
    item = (await vhttp.get(f"/api/v1/content/{content_id}", headers=tenant.headers)).json()
    assert item["mediaType"] == "video"
    assert item["video"]["url"] == chosen["video"]["url"]

    wrong = await vhttp.post(
        f"/api/v1/video-comparisons/{comparison['id']}/select", json={"variantId": "vvar_other"}, headers=tenant.headers
    )
    assert wrong.status_code == 422, wrong.text
    assert await _video_units(vhttp, tenant) == (3, 9)


async def test_a_failed_variant_does_not_sink_the_others(video_stack: Stack, vhttp: httpx.AsyncClient) -> None:
    tenant = await make_tenant(video_stack.sessions)
    content_id = await _item(vhttp, tenant, caption="Rain on the window. Tea is ready.")
    started = await vhttp.post(
        f"/api/v1/content/{content_id}/video-comparison",
        json={"variants": 3, "durationSeconds": 3, "hookText": REFUSED_HOOK, "vary": ["hookText"]},
        headers=tenant.headers,
    )
    assert started.status_code == 202, started.text
    hooks = [v["params"]["hookText"] for v in started.json()["variants"]]
    assert hooks == [REFUSED_HOOK, "Rain on the window.", None]

    done = await _wait_for_comparison(vhttp, tenant, started.json()["id"])
    assert done["status"] == "partially_failed", done
    statuses = [v["status"] for v in done["variants"]]
    assert statuses == ["failed", "completed", "completed"]
    assert "ContentPolicyError" in done["variants"][0]["error"]
    assert done["variants"][0]["video"] is None

    refused = await vhttp.post(
        f"/api/v1/video-comparisons/{done['id']}/select",
        json={"variantId": done["variants"][0]["id"]},
        headers=tenant.headers,
    )
    assert refused.status_code == 409, refused.text
    assert await _video_units(vhttp, tenant) == (2, 6)


async def test_too_few_distinct_variants_is_refused(video_stack: Stack, vhttp: httpx.AsyncClient) -> None:
    tenant = await make_tenant(video_stack.sessions)
    content_id = await _item(vhttp, tenant)
    response = await vhttp.post(
        f"/api/v1/content/{content_id}/video-comparison",
        json={"variants": 3, "vary": ["captionOverlay"]},
        headers=tenant.headers,
    )
    assert response.status_code == 422, response.text
    assert response.json()["error"]["details"][0]["field"] == "vary"
