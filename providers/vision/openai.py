"""Photo analysis with an OpenAI-compatible vision chat model: the model describes the person and their
style; sizes, light and colours are measured locally, where they are exact and free."""

from __future__ import annotations

import asyncio
import base64
import io
from typing import Any

from pydantic import BaseModel, Field

from core.errors import PermanentProviderError
from providers.openai_compat import OpenAICompatClient
from providers.text.base import WardrobeItem
from providers.vision.base import PhotoAnalysis, PhotoFeatures, PhotoInput
from providers.vision.measure import measure_photo, open_image, upright

# Vision models downscale to about this anyway; sending more only costs upload time and tokens.
_MAX_SIDE = 1024
_JPEG_QUALITY = 85

_SYSTEM = (
    "You look at reference photos of one person who will become an AI influencer. Write base_prompt: one "
    "reusable image-generation description of their appearance (apparent age range, face, hair, build, "
    "skin tone, typical style), with no names and nothing about the background. Then suggest wardrobe items "
    "seen in the photos or fitting their style. Answer only with JSON matching the schema."
)


class VisionAnswer(BaseModel):
    """What the model contributes to a ``PhotoAnalysis``."""

    base_prompt: str = Field(min_length=1)
    wardrobe_suggestions: list[WardrobeItem]


def photo_data_uri(photo: PhotoInput) -> str:
    """The photo as a JPEG data URI, upright and at most ``_MAX_SIDE`` pixels on its long side."""
    try:
        image = upright(open_image(photo.data))
    except ValueError as exc:
        raise PermanentProviderError(f"photo {photo.filename or '(unnamed)'} is unreadable: {exc}") from exc
    image = image.convert("RGB")
    image.thumbnail((_MAX_SIDE, _MAX_SIDE))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=_JPEG_QUALITY)
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _features(photo: PhotoInput) -> PhotoFeatures:
    try:
        return measure_photo(photo.data)
    except ValueError as exc:
        raise PermanentProviderError(f"photo {photo.filename or '(unnamed)'} is unreadable: {exc}") from exc


def _prepare(photos: list[PhotoInput]) -> tuple[list[PhotoFeatures], list[str]]:
    return [_features(photo) for photo in photos], [photo_data_uri(photo) for photo in photos]


class OpenAIVisionProvider:
    name = "openai"

    def __init__(self, client: OpenAICompatClient, *, model: str) -> None:
        self._client = client
        self._model = model

    async def aclose(self) -> None:
        await self._client.aclose()

    async def analyze(self, photos: list[PhotoInput]) -> PhotoAnalysis:
        if not photos:
            raise PermanentProviderError("photo analysis needs at least one photo")
        # Decoding camera photos takes a while: off the event loop, so activity heartbeats keep flowing.
        # It runs before the model call, so an unreadable upload fails before we pay for anything.
        features, uris = await asyncio.to_thread(_prepare, photos)
        content: list[dict[str, Any]] = [
            {"type": "text", "text": f"{len(photos)} reference photo(s) of the same person."}
        ]
        content += [{"type": "image_url", "image_url": {"url": uri}} for uri in uris]
        answer = await self._client.structured_chat(
            model=self._model,
            messages=[{"role": "system", "content": _SYSTEM}, {"role": "user", "content": content}],
            result_type=VisionAnswer,
        )
        return PhotoAnalysis(
            photos=features, base_prompt=answer.base_prompt, wardrobe_suggestions=answer.wardrobe_suggestions
        )
