"""Fault injection around real providers: the local generators still do the work, but some calls fail
first, the way remote providers do."""

from __future__ import annotations

import random

from core.errors import ContentPolicyError, TransientProviderError
from providers.images.base import GeneratedImage, ImageProvider, ImageRequest
from providers.text.base import (
    CaptionRequest,
    CaptionResult,
    ContentDirectionRequest,
    ContentDirectionResult,
    TextProvider,
    WardrobeRequest,
    WardrobeResult,
)


class Faults:
    def __init__(self, transient_rate: float = 0.0, permanent_calls: frozenset[int] = frozenset(), seed: int = 7):
        self.transient_rate = transient_rate
        self.permanent_calls = permanent_calls
        self.rng = random.Random(seed)
        self.calls = 0
        self.transient_raised = 0

    def maybe_fail(self, what: str) -> None:
        self.calls += 1
        if self.calls in self.permanent_calls:
            raise ContentPolicyError(f"{what}: refused by the provider's content policy (injected)")
        if self.rng.random() < self.transient_rate:
            self.transient_raised += 1
            raise TransientProviderError(f"{what}: upstream 503 (injected)", status=503)


class FaultyImages:
    def __init__(self, inner: ImageProvider, faults: Faults) -> None:
        self.inner = inner
        self.faults = faults
        self.name = f"faulty-{inner.name}"

    async def generate(self, request: ImageRequest) -> GeneratedImage:
        self.faults.maybe_fail("image")
        return await self.inner.generate(request)


class FaultyText:
    def __init__(self, inner: TextProvider, faults: Faults) -> None:
        self.inner = inner
        self.faults = faults
        self.name = f"faulty-{inner.name}"
        self.in_process = inner.in_process

    async def caption(self, request: CaptionRequest) -> CaptionResult:
        self.faults.maybe_fail("caption")
        return await self.inner.caption(request)

    async def wardrobe(self, request: WardrobeRequest) -> WardrobeResult:
        self.faults.maybe_fail("wardrobe")
        return await self.inner.wardrobe(request)

    async def content_directions(self, request: ContentDirectionRequest) -> ContentDirectionResult:
        self.faults.maybe_fail("directions")
        return await self.inner.content_directions(request)
