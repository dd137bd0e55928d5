"""Captions, wardrobe items and content directions from an OpenAI-compatible chat model, as
structured JSON answers validated by the result models of ``providers.text.base``."""

from __future__ import annotations

from typing import Any

from providers.openai_compat import OpenAICompatClient
from providers.text.base import (
    CaptionRequest,
    CaptionResult,
    ContentDirectionRequest,
    ContentDirectionResult,
    WardrobeRequest,
    WardrobeResult,
)

_CAPTION_SYSTEM = (
    "You write social media captions for an AI influencer, in the influencer's own voice. "
    "Follow the voice of the sample posts when given (length, tone, emoji use, punctuation) without copying "
    "them. Hashtags go in the hashtags list, each starting with #, not in the caption text. "
    "Answer only with JSON matching the schema."
)
_WARDROBE_SYSTEM = (
    "You are a stylist building a consistent wardrobe for a fictional influencer. Each item is one "
    "garment or accessory with a short, concrete description and its main colours. "
    "Answer only with JSON matching the schema."
)
_DIRECTIONS_SYSTEM = (
    "You plan content for a social media profile. Each direction is a recurring theme for posts: a short "
    "title, a description of what the photos show, and fitting moods, settings and hashtags (each starting "
    "with #). Answer only with JSON matching the schema."
)


def _lines(*pairs: tuple[str, Any]) -> str:
    """``Label: value`` lines for the values that are set; models read labelled facts reliably."""
    out: list[str] = []
    for label, value in pairs:
        if isinstance(value, list):
            value = "\n".join(f"- {item}" for item in value)
            if value:
                out.append(f"{label}:\n{value}")
        elif value:
            out.append(f"{label}: {value}")
    return "\n".join(out)


def caption_prompt(request: CaptionRequest) -> str:
    return _lines(
        ("Influencer", request.influencer_name),
        ("Personality", request.personality),
        ("Bio", request.bio),
        ("Scene", request.scene_description),
        ("Name everyone in the picture (as written)", request.featuring),
        ("Mood", request.mood),
        ("Setting", request.setting),
        ("Time of day", request.time_of_day),
        ("Content directions", request.content_directions),
        ("Sample posts in the voice to follow", request.voice_samples),
        ("Previous caption to rework", request.previous_caption),
        ("Instruction", request.instruction),
    )


def wardrobe_prompt(request: WardrobeRequest) -> str:
    return _lines(
        ("Number of items", str(request.count)),
        ("Character", request.base_prompt),
        ("Personality", request.personality),
        ("Already in the wardrobe (do not repeat)", request.existing),
    )


def directions_prompt(request: ContentDirectionRequest) -> str:
    return _lines(
        ("Number of directions", str(request.count)),
        ("Brief", request.prompt),
        ("Profile", request.profile_name),
        ("Personality", request.personality),
    )


class OpenAITextProvider:
    name = "openai"
    in_process = False

    def __init__(self, client: OpenAICompatClient, *, model: str) -> None:
        self._client = client
        self._model = model

    async def aclose(self) -> None:
        await self._client.aclose()

    async def caption(self, request: CaptionRequest) -> CaptionResult:
        return await self._client.structured_chat(
            model=self._model,
            messages=_messages(_CAPTION_SYSTEM, caption_prompt(request)),
            result_type=CaptionResult,
            seed=request.seed,
        )

    async def wardrobe(self, request: WardrobeRequest) -> WardrobeResult:
        result = await self._client.structured_chat(
            model=self._model,
            messages=_messages(_WARDROBE_SYSTEM, wardrobe_prompt(request)),
            result_type=WardrobeResult,
            seed=request.seed,
        )
        # Models overshoot counts now and then; the caller asked for at most ``count``.
        return WardrobeResult(items=result.items[: request.count])

    async def content_directions(self, request: ContentDirectionRequest) -> ContentDirectionResult:
        result = await self._client.structured_chat(
            model=self._model,
            messages=_messages(_DIRECTIONS_SYSTEM, directions_prompt(request)),
            result_type=ContentDirectionResult,
            seed=request.seed,
        )
        return ContentDirectionResult(directions=result.directions[: request.count])


def _messages(system: str, user: str) -> list[dict[str, Any]]:
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]
