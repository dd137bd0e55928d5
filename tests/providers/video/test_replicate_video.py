"""The Replicate video adapter against a local server that walks predictions through their statuses."""

from __future__ import annotations

import base64
import io
from collections.abc import AsyncIterator, Iterator

import pytest
from PIL import Image

from core.errors import ContentPolicyError, PermanentProviderError, TransientProviderError
from providers.video.base import RenderState, VideoRequest, failure_error
from providers.video.replicate import ReplicateVideoProvider
from tests.providers.video.wire_video import MP4_SIZE, ReplicateVideoFake
from tests.providers.wire_servers import Reply, png_bytes

REQUEST = VideoRequest(key="cnt_1:A", image=png_bytes(64, 96), prompt="she smiles", duration_seconds=5, seed=3)


@pytest.fixture
def fake() -> Iterator[ReplicateVideoFake]:
    fake = ReplicateVideoFake()
    with fake.server:
        yield fake


@pytest.fixture
async def provider(fake: ReplicateVideoFake) -> AsyncIterator[ReplicateVideoProvider]:
    provider = ReplicateVideoProvider(
        base_url=f"{fake.server.base_url}/v1", api_token=fake.token, model="kwaivgi/kling-v2.1", timeout=1.0
    )
    yield provider
    await provider.aclose()


async def test_start_poll_and_download_the_mp4(fake: ReplicateVideoFake, provider: ReplicateVideoProvider) -> None:
    render_id = await provider.start(REQUEST)
    running = await provider.status(render_id)
    done = await provider.status(render_id)
    video = await provider.download(render_id)

    (created,) = fake.server.requests_to("POST", "/v1/models/kwaivgi/kling-v2.1/predictions")
    sent = created.json()["input"]
    assert sent["start_image"] == "data:image/png;base64," + base64.b64encode(REQUEST.image).decode()
    assert (sent["prompt"], sent["duration"], sent["aspect_ratio"], sent["seed"]) == ("she smiles", 5, "9:16", 3)
    assert (running.state, done.state) == (RenderState.RUNNING, RenderState.SUCCEEDED)
    (download,) = fake.server.requests_to("GET", f"/files/{render_id}.png")
    assert "authorization" not in download.headers
    assert (video.width, video.height, video.codec) == (*MP4_SIZE, "h264")
    assert abs(video.duration_seconds - 2) < 0.1 and video.model == "kwaivgi/kling-v2.1"
    poster = Image.open(io.BytesIO(video.poster))
    assert (poster.format, poster.size) == ("JPEG", MP4_SIZE)


async def test_429_on_create_is_transient_with_retry_after(
    fake: ReplicateVideoFake, provider: ReplicateVideoProvider
) -> None:
    fake.queue.append(Reply.of_json({"detail": "Request was throttled."}, 429, headers={"Retry-After": "7"}))

    with pytest.raises(TransientProviderError) as caught:
        await provider.start(REQUEST)
    assert caught.value.retry_after == 7.0 and caught.value.status == 429


async def test_5xx_on_status_is_transient(fake: ReplicateVideoFake, provider: ReplicateVideoProvider) -> None:
    render_id = await provider.start(REQUEST)
    fake.queue.append(Reply.of_json({"detail": "upstream trouble"}, 503))

    with pytest.raises(TransientProviderError):
        await provider.status(render_id)
    assert (await provider.status(render_id)).state is RenderState.RUNNING


async def test_failed_render_is_permanent_with_its_reason(
    fake: ReplicateVideoFake, provider: ReplicateVideoProvider
) -> None:
    fake.statuses = ["starting", "failed"]
    fake.error = "input image has an unsupported aspect ratio"
    render_id = await provider.start(REQUEST)

    status = await provider.status(render_id)
    assert status.state is RenderState.FAILED and status.error == fake.error
    error = failure_error(status)
    assert type(error) is PermanentProviderError and fake.error in error.message
    with pytest.raises(PermanentProviderError):
        await provider.download(render_id)


async def test_policy_refusals_are_content_policy_errors(
    fake: ReplicateVideoFake, provider: ReplicateVideoProvider
) -> None:
    fake.statuses = ["starting", "failed"]
    fake.error = "NSFW content detected in the input image"
    status = await provider.status(await provider.start(REQUEST))
    assert isinstance(failure_error(status), ContentPolicyError)

    fake.queue.append(Reply.of_json({"detail": "Input flagged by our content policy"}, 422))
    with pytest.raises(ContentPolicyError):
        await provider.start(REQUEST)


async def test_render_that_never_finishes_stays_running_until_cancelled(
    fake: ReplicateVideoFake, provider: ReplicateVideoProvider
) -> None:
    fake.statuses = ["starting", "processing"]
    render_id = await provider.start(REQUEST)

    states = [(await provider.status(render_id)).state for _ in range(5)]
    await provider.cancel(render_id)

    assert states == [RenderState.RUNNING] * 5
    assert fake.cancelled == [render_id]
    assert len(fake.server.requests_to("POST", f"/v1/predictions/{render_id}/cancel")) == 1
    assert (await provider.status(render_id)).state is RenderState.FAILED


async def test_a_status_call_that_times_out_is_transient(
    fake: ReplicateVideoFake, provider: ReplicateVideoProvider
) -> None:
    render_id = await provider.start(REQUEST)
    fake.queue.append(Reply.of_json({"status": "processing"}, delay=1.5))

    with pytest.raises(TransientProviderError, match="timed out"):
        await provider.status(render_id)
