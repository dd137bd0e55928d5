"""The embedded image provider: draws a real, prompt-dependent PNG with Pillow, offline and deterministic."""

from __future__ import annotations

import asyncio

from core.errors import PermanentProviderError
from domain.aesthetic_grades import GRADES_BY_ID
from providers.images.base import GeneratedImage, ImageRequest
from providers.images.local.render import render_png

MODEL = "local-pillow-v1"


class LocalImageProvider:
    name = "local"

    async def generate(self, request: ImageRequest) -> GeneratedImage:
        if request.grade_id is not None and request.grade_id not in GRADES_BY_ID:
            raise PermanentProviderError(f"unknown aesthetic grade {request.grade_id!r}")
        # Drawing is CPU-bound; a thread keeps the event loop (and activity heartbeats) responsive.
        data = await asyncio.to_thread(render_png, request)
        return GeneratedImage(
            data=data, content_type="image/png", width=request.width, height=request.height, model=MODEL
        )
