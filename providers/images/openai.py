"""Image generation through an OpenAI-compatible ``/images/generations`` endpoint."""

from __future__ import annotations

from typing import Any

from core.errors import PermanentProviderError
from domain.aesthetic_grades import GRADES_BY_ID
from providers.images.base import GeneratedImage, ImageFigure, ImageRequest
from providers.openai_compat import OpenAICompatClient, decode_base64
from providers.vision.measure import image_info

_VIEW_TEXT = {
    "front": "front view, facing the camera",
    "three_quarter": "three-quarter view",
    "profile": "side profile view",
    "back": "seen from behind",
}

# OpenAI's own image models accept only these sizes and reject unknown fields such as ``seed``;
# any other model name is taken to be served by a compatible server that takes "WxH" and a seed.
_OPENAI_SIZES: dict[str, tuple[tuple[int, int], ...]] = {
    "gpt-image": ((1024, 1024), (1536, 1024), (1024, 1536)),
    "dall-e-3": ((1024, 1024), (1792, 1024), (1024, 1792)),
    "dall-e-2": ((256, 256), (512, 512), (1024, 1024)),
}


def compose_image_prompt(request: ImageRequest, *, include_negative: bool = True) -> str:
    """One prompt text carrying view, wardrobe, grade and (for APIs without a field for it) what to avoid."""
    parts = [request.prompt.strip().rstrip(".")]
    if request.view:
        parts.append(_VIEW_TEXT[request.view])
    if request.wardrobe:
        parts.append("wearing " + ", ".join(request.wardrobe))
    for number, figure in enumerate(request.figures, start=1):
        parts.append(figure_text(number, figure))
    grade = GRADES_BY_ID.get(request.grade_id) if request.grade_id else None
    if grade is not None:
        parts.append(", ".join(grade.prompt_modifiers))
    if include_negative and request.negative_prompt:
        parts.append(f"Avoid: {request.negative_prompt.strip()}")
    return ". ".join(parts)


def figure_text(number: int, figure: ImageFigure) -> str:
    """One person of a group picture, counted from the viewer's left, as prompt text."""
    where = "in front, facing the camera" if figure.role == "front" else f"turned to the {figure.facing}"
    if figure.looking_at:
        where += f", looking at {figure.looking_at}"
    wearing = f", wearing {', '.join(figure.wardrobe)}" if figure.wardrobe else ""
    return f"Person {number} from the left, {figure.name} ({where}): {figure.prompt.strip().rstrip('.')}{wearing}"


def _openai_family(model: str) -> str | None:
    return next((family for family in _OPENAI_SIZES if model.startswith(family)), None)


def nearest_size(width: int, height: int, sizes: tuple[tuple[int, int], ...]) -> tuple[int, int]:
    """The allowed size closest in aspect ratio, then in area, to the one asked for."""
    return min(sizes, key=lambda s: (abs(s[0] / s[1] - width / height), abs(s[0] * s[1] - width * height)))


class OpenAIImageProvider:
    name = "openai"

    def __init__(self, client: OpenAICompatClient, *, model: str) -> None:
        self._client = client
        self._model = model

    async def aclose(self) -> None:
        await self._client.aclose()

    def request_body(self, request: ImageRequest) -> dict[str, Any]:
        family = _openai_family(self._model)
        width, height = request.width, request.height
        if family is not None:
            width, height = nearest_size(width, height, _OPENAI_SIZES[family])
        body: dict[str, Any] = {
            "model": self._model,
            "prompt": compose_image_prompt(request),
            "size": f"{width}x{height}",
            "n": 1,
        }
        if family != "gpt-image":  # gpt-image models always answer base64 and reject the field.
            body["response_format"] = "b64_json"
        if family is None:
            body["seed"] = request.seed
        return body

    async def generate(self, request: ImageRequest) -> GeneratedImage:
        answer = await self._client.post_json("images/generations", self.request_body(request))
        try:
            item = answer["data"][0]
        except (KeyError, IndexError, TypeError) as exc:
            raise PermanentProviderError(f"{self._client.service} image answer has no data[0]") from exc
        if item.get("b64_json"):
            data = decode_base64(item["b64_json"])
        elif item.get("url"):
            data = await self._client.download(item["url"])
        else:
            raise PermanentProviderError(f"{self._client.service} image answer has neither b64_json nor url")
        try:
            info = image_info(data)
        except ValueError as exc:
            message = f"{self._client.service} returned an unreadable image: {exc}"
            raise PermanentProviderError(message) from exc
        return GeneratedImage(
            data=data, content_type=info.content_type, width=info.width, height=info.height, model=self._model
        )
