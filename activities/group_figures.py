"""A collaboration plan's cast → the figures of one group picture, with each member's reference images read
from storage (the image request travels in-process, so bytes are fine here; activity payloads carry keys)."""

from __future__ import annotations

from contracts.generation import CastMember
from core.errors import NotFound, ProviderError
from providers.images.base import ImageFigure, ReferencePicture
from providers.storage.base import MediaStorage
from providers.vision.measure import image_info


async def _reference(storage: MediaStorage, key: str) -> ReferencePicture | None:
    try:
        data = await storage.get(key)
        return ReferencePicture(data=data, content_type=image_info(data).content_type)
    except (NotFound, ValueError, ProviderError):
        # A reference replaced or deleted since planning: the member is still drawn from their prompt.
        return None


async def group_figures(cast: list[CastMember], storage: MediaStorage) -> list[ImageFigure]:
    figures = []
    for member in cast:
        references = [ref for key in member.reference_keys if (ref := await _reference(storage, key)) is not None]
        figures.append(
            ImageFigure(
                name=member.name,
                prompt=member.prompt,
                seed=member.seed,
                wardrobe=member.wardrobe,
                role="front" if member.role == "front" else "beside",
                facing="left" if member.facing == "left" else "right" if member.facing == "right" else "camera",
                looking_at=member.looking_at,
                references=references,
            )
        )
    return figures
