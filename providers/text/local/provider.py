"""The embedded text provider: captions, wardrobe items and content directions, offline and deterministic.

Same request, same seed → same answer; another seed → another wording. Every answer is validated through
the pydantic result models before it leaves, exactly as an HTTP adapter's answer would be.
"""

from __future__ import annotations

from providers.text.base import (
    CaptionRequest,
    CaptionResult,
    ContentDirectionRequest,
    ContentDirectionResult,
    WardrobeRequest,
    WardrobeResult,
)
from providers.text.local.captions import compose
from providers.text.local.directions import draft_directions
from providers.text.local.lexicon import fold
from providers.text.local.phrasebook import CLOSERS
from providers.text.local.steer import parse_steer
from providers.text.local.voice import read_voice
from providers.text.local.wardrobe import design_wardrobe

MAX_ATTEMPTS = 12


def _same(a: str, b: str) -> bool:
    return " ".join(fold(a).split()) == " ".join(fold(b).split())


class LocalTextProvider:
    name = "local"
    in_process = True

    async def caption(self, request: CaptionRequest) -> CaptionResult:
        # Pure-Python string work on short texts: fast enough to run on the event loop.
        return write_caption(request)

    async def wardrobe(self, request: WardrobeRequest) -> WardrobeResult:
        return design_wardrobe(request)

    async def content_directions(self, request: ContentDirectionRequest) -> ContentDirectionResult:
        return draft_directions(request)


def write_caption(request: CaptionRequest) -> CaptionResult:
    """A caption that differs from ``previous_caption`` and, when an instruction is given, from the
    caption the same request would get without it."""
    steer = parse_steer(request.instruction)
    voice = read_voice(request.voice_samples)
    avoid = [request.previous_caption] if request.previous_caption else []
    if request.instruction:
        avoid.append(compose(request, parse_steer(None), voice).caption)
    result = compose(request, steer, voice)
    for attempt in range(1, MAX_ATTEMPTS):
        if not any(_same(result.caption, other) for other in avoid):
            return result
        result = compose(request, steer, voice, attempt)
    # Every wording we tried was taken (a very sparse request): lengthen the last one until it is new.
    for closer in CLOSERS:
        caption = f"{result.caption} {closer.partition(':')[2] or closer}."
        if not any(_same(caption, other) for other in avoid):
            break
    return CaptionResult.model_validate({"caption": caption[:2200], "hashtags": result.hashtags})
