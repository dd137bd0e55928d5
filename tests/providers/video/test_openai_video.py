"""The OpenAI-style videos adapter against a local server: multipart create, status, content, delete."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Iterator

import pytest
from PIL import Image

from core.errors import ContentPolicyError, PermanentProviderError, TransientProviderError
from providers.video.base import RenderState, VideoRequest, failure_error
from providers.video.openai import OpenAIVideoProvider
from tests.providers.video.wire_video import MP4_SIZE, OpenAIVideosFake
from tests.providers.wire_servers import Reply, openai_error, png_bytes

REQUEST = VideoRequest(key="cnt_1:A", image=png_bytes(400, 300), prompt="a slow smile", duration_seconds=6)


@pytest.fixture
def fake() -> Iterator[OpenAIVideosFake]:
    fake = OpenAIVideosFake()
    with fake.server:
        yield fake


@pytest.fixture
async def provider(fake: OpenAIVideosFake) -> AsyncIterator[OpenAIVideoProvider]:
    provider = OpenAIVideoProvider(
        base_url=f"{fake.server.base_url}/v1", api_key=fake.api_key, model="sora-2", timeout=1.0
    )
    yield provider
    await provider.aclose()


async def test_create_poll_and_download(fake: OpenAIVideosFake, provider: OpenAIVideoProvider) -> None:
    render_id = await provider.start(REQUEST)
    running = await provider.status(render_id)
    done = await provider.status(render_id)
    video = await provider.download(render_id)

    fields = fake.videos[render_id]["fields"]
    assert (fields["model"][0], fields["size"][0], fields["seconds"][0]) == (b"sora-2", b"720x1280", b"8")
    assert fields["prompt"][0].startswith(b"a slow smile")
    reference_bytes, reference_type = fields["input_reference"]
    assert reference_type == "image/png"
    assert Image.open(io.BytesIO(reference_bytes)).size == (720, 1280)  # the API wants the video's size
    assert (running.state, running.progress) == (RenderState.RUNNING, 0.4)
    assert done.state is RenderState.SUCCEEDED
    assert (video.width, video.height, video.model) == (*MP4_SIZE, "sora-2")
    assert Image.open(io.BytesIO(video.poster)).format == "JPEG"


async def test_square_video_is_refused_before_any_request(
    fake: OpenAIVideosFake, provider: OpenAIVideoProvider
) -> None:
    with pytest.raises(PermanentProviderError, match="1:1"):
        await provider.start(REQUEST.model_copy(update={"aspect_ratio": "1:1"}))
    assert fake.server.requests == []


async def test_429_with_retry_after_and_5xx_are_transient(
    fake: OpenAIVideosFake, provider: OpenAIVideoProvider
) -> None:
    fake.queue.append(openai_error(429, "Rate limit reached", "rate_limit_exceeded", headers={"Retry-After": "12"}))
    with pytest.raises(TransientProviderError) as caught:
        await provider.start(REQUEST)
    assert caught.value.retry_after == 12.0

    render_id = await provider.start(REQUEST)
    fake.queue.append(openai_error(500, "The server had an error", "server_error"))
    with pytest.raises(TransientProviderError):
        await provider.status(render_id)


async def test_policy_refusal_at_create_is_a_content_policy_error(
    fake: OpenAIVideosFake, provider: OpenAIVideoProvider
) -> None:
    fake.queue.append(openai_error(400, "Your request was blocked by our moderation system.", "moderation_blocked"))
    with pytest.raises(ContentPolicyError):
        await provider.start(REQUEST)


async def test_failed_render_carries_its_reason_and_type(fake: OpenAIVideosFake, provider: OpenAIVideoProvider) -> None:
    fake.statuses = ["queued", "failed"]
    fake.error = {"code": "invalid_input", "message": "Input reference could not be processed"}
    status = await provider.status(await provider.start(REQUEST))
    assert status.state is RenderState.FAILED
    assert type(failure_error(status)) is PermanentProviderError
    assert "could not be processed" in (status.error or "")

    fake.error = {"code": "moderation_blocked", "message": "The output was flagged by our safety system"}
    status = await provider.status(await provider.start(REQUEST))
    assert isinstance(failure_error(status), ContentPolicyError)


async def test_render_that_never_finishes_stays_running_and_cancel_deletes_it(
    fake: OpenAIVideosFake, provider: OpenAIVideoProvider
) -> None:
    fake.statuses = ["queued", "in_progress"]
    render_id = await provider.start(REQUEST)

    states = [(await provider.status(render_id)).state for _ in range(5)]
    await provider.cancel(render_id)
    await provider.cancel(render_id)  # already gone: nothing to do

    assert states == [RenderState.RUNNING] * 5
    assert fake.deleted == [render_id]
    assert len(fake.server.requests_to("DELETE", f"/v1/videos/{render_id}")) == 2


async def test_a_status_call_that_times_out_is_transient(fake: OpenAIVideosFake, provider: OpenAIVideoProvider) -> None:
    render_id = await provider.start(REQUEST)
    fake.queue.append(Reply.of_json({"status": "in_progress"}, delay=1.5))

    with pytest.raises(TransientProviderError, match="timed out"):
        await provider.status(render_id)
