"""A remote image provider at its own pace: at most ``concurrency`` calls in flight per worker process,
and a 429 holds every caller back until the provider's reset instead of failing the item.

A 429 is the provider saying "not now", not "this item is wrong": retrying it through Temporal would spend
the item's attempts (``PROVIDER_RETRY`` gives up after eight) on the provider's load. Here the call waits,
as long as the provider asks (``Retry-After``) or with a doubling backoff, and tries again; meanwhile new
calls from other items wait too, so the whole worker slows down to what the provider accepts. The activity
around it heartbeats while it waits, and its start-to-close timeout still bounds the whole step."""

from __future__ import annotations

import asyncio
import logging

from core.errors import TransientProviderError
from providers.images.base import GeneratedImage, ImageProvider, ImageRequest

logger = logging.getLogger(__name__)

TOO_MANY_REQUESTS = 429


class PacedImageProvider:
    def __init__(
        self, inner: ImageProvider, concurrency: int, *, first_backoff: float = 1.0, max_backoff: float = 60.0
    ) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.inner = inner
        self.name = inner.name
        self.concurrency = concurrency
        self.first_backoff = first_backoff
        self.max_backoff = max_backoff
        self.throttled = 0  # 429s seen, for logs and benchmarks
        self._slots = asyncio.Semaphore(concurrency)
        self._resume_at = 0.0  # loop time before which no new call starts

    async def generate(self, request: ImageRequest) -> GeneratedImage:
        backoff = self.first_backoff
        while True:
            await self._hold_off()
            async with self._slots:
                await self._hold_off()  # a 429 may have arrived while this call queued for a slot
                try:
                    return await self.inner.generate(request)
                except TransientProviderError as exc:
                    if exc.status != TOO_MANY_REQUESTS:
                        raise
                    delay = min(self.max_backoff, exc.retry_after or backoff)
                    backoff = min(self.max_backoff, backoff * 2)
                    self.throttled += 1
                    loop = asyncio.get_running_loop()
                    self._resume_at = max(self._resume_at, loop.time() + delay)
                    logger.info("images.throttled provider=%s wait=%.1fs", self.name, delay)

    async def _hold_off(self) -> None:
        wait = self._resume_at - asyncio.get_running_loop().time()
        if wait > 0:
            await asyncio.sleep(wait)
            await self._hold_off()  # another 429 may have pushed the resume time further meanwhile

    async def aclose(self) -> None:
        close = getattr(self.inner, "aclose", None)
        if close is not None:
            await close()
