"""The Replicate adapter against a local server that walks predictions through their statuses."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import pytest

from core.errors import (
    ContentPolicyError,
    PermanentProviderError,
    ProviderAuthError,
    ProviderError,
    TransientProviderError,
)
from providers.images.base import ImageRequest
from providers.images.replicate import ReplicateImageProvider
from tests.providers.wire_servers import ReplicateFake, Reply, wait_until

REQUEST = ImageRequest(
    prompt="a runner at dawn", seed=5, width=1536, height=1024, view="front", negative_prompt="blur"
)


@pytest.fixture
def fake() -> Iterator[ReplicateFake]:
    fake = ReplicateFake()
    with fake.server:
        yield fake


def make_provider(fake: ReplicateFake, **kwargs: object) -> ReplicateImageProvider:
    options: dict = {
        "model": "black-forest-labs/flux-schnell",
        "timeout": 2.0,
        "poll_interval": 0.01,
        "deadline_seconds": 5.0,
        **kwargs,
    }
    return ReplicateImageProvider(base_url=f"{fake.server.base_url}/v1", api_token=fake.token, **options)


@pytest.fixture
async def provider(fake: ReplicateFake) -> AsyncIterator[ReplicateImageProvider]:
    provider = make_provider(fake)
    yield provider
    await provider.aclose()


async def test_polls_until_succeeded_and_downloads_the_output(
    fake: ReplicateFake, provider: ReplicateImageProvider
) -> None:
    image = await provider.generate(REQUEST)

    (created,) = fake.server.requests_to("POST", "/v1/models/black-forest-labs/flux-schnell/predictions")
    assert created.headers["authorization"] == "Bearer r8-test"
    assert "prefer" not in created.headers
    sent = created.json()["input"]
    assert (sent["seed"], sent["aspect_ratio"], sent["width"], sent["height"]) == (5, "3:2", 1536, 1024)
    assert sent["negative_prompt"] == "blur" and "Avoid" not in sent["prompt"]
    assert sent["prompt"].startswith("a runner at dawn. front view")
    assert len(fake.server.requests_to("GET", "/v1/predictions/pred1")) == 2  # processing, then succeeded
    (download,) = fake.server.requests_to("GET", "/files/pred1.png")
    assert "authorization" not in download.headers
    assert (image.width, image.height, image.content_type) == (768, 512, "image/png")
    assert image.model == "black-forest-labs/flux-schnell"
    assert fake.cancelled == []


async def test_versioned_model_uses_the_predictions_endpoint(fake: ReplicateFake) -> None:
    provider = make_provider(fake, model="stability-ai/sdxl:39ed52f2")
    try:
        image = await provider.generate(REQUEST)
    finally:
        await provider.aclose()

    (created,) = fake.server.requests_to("POST", "/v1/predictions")
    assert created.json()["version"] == "39ed52f2"
    assert image.model == "stability-ai/sdxl:39ed52f2"


async def test_sync_mode_sends_prefer_wait_and_skips_polling(fake: ReplicateFake) -> None:
    provider = make_provider(fake, wait_seconds=1)
    try:
        await provider.generate(REQUEST)
    finally:
        await provider.aclose()

    (created,) = fake.server.requests_to("POST", ".*/predictions")
    assert created.headers["prefer"] == "wait=1"
    assert fake.server.requests_to("GET", "/v1/predictions/.*") == []


@pytest.mark.parametrize(
    ("error_text", "error_type"),
    [
        ("NSFW content detected. Try running it again, or try a different prompt.", ContentPolicyError),
        ("CUDA out of memory. Tried to allocate 2.00 GiB", PermanentProviderError),
        ("Prediction timed out", TransientProviderError),
    ],
)
async def test_failed_prediction_maps_its_error_text(
    fake: ReplicateFake, provider: ReplicateImageProvider, error_text: str, error_type: type[ProviderError]
) -> None:
    fake.statuses = ["starting", "processing", "failed"]
    fake.error = error_text

    with pytest.raises(ProviderError) as caught:
        await provider.generate(REQUEST)

    assert type(caught.value) is error_type
    assert error_text in caught.value.message


async def test_prediction_past_the_deadline_is_cancelled(fake: ReplicateFake) -> None:
    fake.statuses = ["starting", "processing"]  # never finishes
    provider = make_provider(fake, deadline_seconds=0.2)
    try:
        with pytest.raises(TransientProviderError, match="cancelled"):
            await provider.generate(REQUEST)
    finally:
        await provider.aclose()

    assert fake.cancelled == ["pred1"]
    assert len(fake.server.requests_to("GET", "/v1/predictions/pred1")) >= 3


async def test_cancelling_the_caller_cancels_the_prediction(
    fake: ReplicateFake, provider: ReplicateImageProvider
) -> None:
    fake.statuses = ["starting", "processing"]
    task = asyncio.create_task(provider.generate(REQUEST))
    await wait_until(lambda: fake.server.requests_to("GET", "/v1/predictions/pred1"))

    task.cancel()

    with pytest.raises(asyncio.CancelledError):
        await task
    assert fake.cancelled == ["pred1"]
    assert fake.server.requests_to("POST", "/v1/predictions/pred1/cancel")[0].headers["authorization"]


async def test_prediction_cancelled_elsewhere_is_permanent(
    fake: ReplicateFake, provider: ReplicateImageProvider
) -> None:
    fake.statuses = ["starting", "canceled"]

    with pytest.raises(PermanentProviderError, match="canceled"):
        await provider.generate(REQUEST)
    assert fake.cancelled == []


async def test_throttled_create_is_transient_with_retry_after(
    fake: ReplicateFake, provider: ReplicateImageProvider
) -> None:
    fake.queue.append(
        Reply.of_json(
            {"title": "Request was throttled", "detail": "Request was throttled.", "status": 429},
            429,
            headers={"Retry-After": "3"},
        )
    )

    with pytest.raises(TransientProviderError, match="throttled") as caught:
        await provider.generate(REQUEST)
    assert caught.value.retry_after == 3 and caught.value.status == 429


async def test_bad_token_is_an_auth_error(fake: ReplicateFake) -> None:
    provider = ReplicateImageProvider(
        base_url=f"{fake.server.base_url}/v1", api_token="r8-wrong", model="a/b", timeout=2.0
    )
    try:
        with pytest.raises(ProviderAuthError, match="Invalid token"):
            await provider.generate(REQUEST)
    finally:
        await provider.aclose()


async def test_poll_hiccups_are_ridden_out_until_the_prediction_finishes(
    fake: ReplicateFake, provider: ReplicateImageProvider
) -> None:
    task = asyncio.create_task(provider.generate(REQUEST))
    await wait_until(lambda: fake.server.requests_to("POST", ".*/predictions"))
    fake.queue += [
        Reply.of_json({"detail": "upstream connect error"}, 502),
        Reply.of_json({"detail": "slow down"}, 429, headers={"Retry-After": "0.05"}),
    ]

    image = await task

    assert (image.width, image.height) == (768, 512)
    assert fake.queue == []  # both errors were served to polls, and polling went on
    assert len(fake.server.requests_to("GET", "/v1/predictions/pred1")) == 4
    assert fake.cancelled == []


def test_model_name_must_be_owner_slash_name() -> None:
    with pytest.raises(ValueError, match="owner/name"):
        ReplicateImageProvider(base_url="http://127.0.0.1:1", api_token="t", model="flux", timeout=1)
