"""A remote image provider at its own pace: never more calls in flight than its concurrency, and a 429
waits (as long as the provider asks) and tries again instead of failing the item."""

from __future__ import annotations

import asyncio

import pytest

from core.errors import PermanentProviderError, TransientProviderError
from providers.images.base import GeneratedImage, ImageRequest
from providers.images.paced import PacedImageProvider
from providers.images.replicate import ReplicateImageProvider
from tests.providers.wire_servers import ReplicateFake, Reply


class BusyProvider:
    """A stand-in provider that takes ``capacity`` calls at once and answers 429 (``Retry-After``) beyond."""

    name = "busy"

    def __init__(self, capacity: int, seconds: float = 0.02, retry_after: float | None = 0.05) -> None:
        self.capacity = capacity
        self.seconds = seconds
        self.retry_after = retry_after
        self.running = 0
        self.peak = 0
        self.refused = 0
        self.refused_at: list[float] = []
        self.started_at: list[float] = []

    async def generate(self, request: ImageRequest) -> GeneratedImage:
        loop = asyncio.get_running_loop()
        if self.running >= self.capacity:
            self.refused += 1
            self.refused_at.append(loop.time())
            raise TransientProviderError("busy: throttled", retry_after=self.retry_after, status=429)
        self.started_at.append(loop.time())
        self.running += 1
        self.peak = max(self.peak, self.running)
        try:
            await asyncio.sleep(self.seconds)
        finally:
            self.running -= 1
        return GeneratedImage(data=b"png", width=request.width, height=request.height, model=f"seed-{request.seed}")


def requests(count: int) -> list[ImageRequest]:
    return [ImageRequest(prompt="portrait", seed=n) for n in range(count)]


async def test_calls_in_flight_never_exceed_the_concurrency() -> None:
    inner = BusyProvider(capacity=100)
    paced = PacedImageProvider(inner, concurrency=4)
    images = await asyncio.gather(*(paced.generate(r) for r in requests(20)))
    assert [image.model for image in images] == [f"seed-{n}" for n in range(20)]
    assert inner.peak == 4
    assert inner.refused == 0


async def test_a_provider_that_takes_fewer_throttles_without_failing_an_item() -> None:
    inner = BusyProvider(capacity=3)
    paced = PacedImageProvider(inner, concurrency=8)
    images = await asyncio.gather(*(paced.generate(r) for r in requests(24)))
    assert sorted(image.model for image in images) == sorted(f"seed-{n}" for n in range(24))
    assert inner.refused > 0 and paced.throttled == inner.refused
    assert inner.peak == 3


async def test_after_a_429_no_call_starts_before_the_provider_said() -> None:
    inner = BusyProvider(capacity=1, seconds=0.01, retry_after=0.2)
    paced = PacedImageProvider(inner, concurrency=2)
    await asyncio.gather(*(paced.generate(r) for r in requests(2)))
    first_refusal = inner.refused_at[0]
    later_starts = [t for t in inner.started_at if t > first_refusal]
    assert later_starts and min(later_starts) >= first_refusal + 0.2 - 0.01


async def test_without_retry_after_the_wait_doubles_and_the_item_still_succeeds() -> None:
    inner = BusyProvider(capacity=0, retry_after=None)
    paced = PacedImageProvider(inner, concurrency=1, first_backoff=0.02, max_backoff=0.08)
    task = asyncio.create_task(paced.generate(ImageRequest(prompt="x", seed=1)))
    await asyncio.sleep(0.5)
    inner.capacity = 1
    image = await asyncio.wait_for(task, 2)
    assert image.model == "seed-1"
    gaps = [b - a for a, b in zip(inner.refused_at, inner.refused_at[1:], strict=False)]
    assert gaps[0] >= 0.02 - 0.005 and gaps[1] >= 0.04 - 0.005


async def test_other_errors_are_not_held_back() -> None:
    class Broken(BusyProvider):
        async def generate(self, request: ImageRequest) -> GeneratedImage:
            raise TransientProviderError("upstream 503", status=503)

    class Refusing(BusyProvider):
        async def generate(self, request: ImageRequest) -> GeneratedImage:
            raise PermanentProviderError("bad input", status=400)

    with pytest.raises(TransientProviderError, match="503"):
        await PacedImageProvider(Broken(capacity=1), concurrency=1).generate(ImageRequest(prompt="x", seed=1))
    with pytest.raises(PermanentProviderError):
        await PacedImageProvider(Refusing(capacity=1), concurrency=1).generate(ImageRequest(prompt="x", seed=1))


async def test_the_replicate_adapter_rides_out_throttled_creates_on_the_wire() -> None:
    """Two 429s (the real error body and ``Retry-After``) in front of the create: one image, no error."""
    fake = ReplicateFake()
    with fake.server:
        fake.queue += [
            Reply.of_json({"detail": "Request was throttled.", "status": 429}, 429, headers={"Retry-After": "0.05"}),
            Reply.of_json({"detail": "Request was throttled.", "status": 429}, 429, headers={"Retry-After": "0.05"}),
        ]
        replicate = ReplicateImageProvider(
            base_url=f"{fake.server.base_url}/v1", api_token=fake.token, model="black-forest-labs/flux-schnell",
            timeout=2.0, poll_interval=0.01, deadline_seconds=5.0,
        )
        paced = PacedImageProvider(replicate, concurrency=2)
        try:
            image = await paced.generate(ImageRequest(prompt="a runner at dawn", seed=5))
        finally:
            await paced.aclose()
    assert image.data[:8] == b"\x89PNG\r\n\x1a\n"
    assert paced.throttled == 2
    assert len(fake.server.requests_to("POST", r"/v1/models/.+/predictions")) == 3
