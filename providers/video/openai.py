"""Image-to-video through an OpenAI-style videos API: ``POST /videos`` (multipart, with the image as the
``input_reference`` file), ``GET /videos/{id}`` for status, ``GET /videos/{id}/content`` for the MP4 and
``DELETE /videos/{id}`` to stop and remove a job (the API has no separate cancel).

The reference image must have the exact size of the requested video, so we cover-crop it to that size
ourselves rather than let the server refuse it."""

from __future__ import annotations

import asyncio
import io
import logging
import re
from typing import Any

import httpx
from PIL import Image, ImageOps

from core.errors import PermanentProviderError
from providers.http import send
from providers.openai_compat import json_object
from providers.video.base import RenderedVideo, RenderState, RenderStatus, VideoRequest
from providers.video.remote import failure_type, finished_video
from providers.vision.measure import DEFAULT_MAX_IMAGE_PIXELS, open_image

logger = logging.getLogger(__name__)

SERVICE = "openai videos"
_SAFE_ID = re.compile(r"^[A-Za-z0-9_-]{1,128}$")
_RUNNING = ("queued", "in_progress")
# The sizes the videos API renders; it has no square size, so 1:1 is refused rather than silently widened.
SIZES: dict[str, str] = {"9:16": "720x1280", "16:9": "1280x720"}
SECONDS = (4, 8, 12)


def clip_seconds(requested: int) -> int:
    """The shortest clip length the API offers that covers the request (the longest if none does)."""
    return next((seconds for seconds in SECONDS if seconds >= requested), SECONDS[-1])


def reference_image(image: bytes, size: str, max_pixels: int) -> bytes:
    width, height = (int(side) for side in size.split("x"))
    try:
        picture = open_image(image, max_pixels)
    except ValueError as exc:
        raise PermanentProviderError(f"video source is not a readable image: {exc}") from exc
    picture = ImageOps.exif_transpose(picture).convert("RGB")
    fitted = ImageOps.fit(picture, (width, height), method=Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    fitted.save(buffer, format="PNG")
    return buffer.getvalue()


class OpenAIVideoProvider:
    name = "openai"

    def __init__(
        self,
        *,
        base_url: str,
        api_key: str,
        model: str,
        timeout: float,
        max_image_pixels: int = DEFAULT_MAX_IMAGE_PIXELS,
    ) -> None:
        self.model = model
        self._max_image_pixels = max_image_pixels
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/") + "/",
            headers={"Authorization": f"Bearer {api_key}"},
            timeout=timeout,
            follow_redirects=True,
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    def form(self, request: VideoRequest) -> dict[str, str]:
        size = SIZES.get(request.aspect_ratio)
        if size is None:
            raise PermanentProviderError(f"{SERVICE} cannot render aspect ratio {request.aspect_ratio}")
        motion = request.motion.replace("_", " ")
        prompt = request.prompt or "Bring this photo to life."
        return {
            "model": self.model,
            "prompt": f"{prompt} Camera: {motion}, {request.pace} pace.",
            "seconds": str(clip_seconds(request.duration_seconds)),
            "size": size,
        }

    async def start(self, request: VideoRequest) -> str:
        form = self.form(request)
        reference = await asyncio.to_thread(reference_image, request.image, form["size"], self._max_image_pixels)
        files = {"input_reference": ("reference.png", reference, "image/png")}
        response = await send(self._http, "POST", "videos", service=SERVICE, data=form, files=files)
        video_id = str(json_object(response, service=SERVICE).get("id", ""))
        if not _SAFE_ID.match(video_id):
            raise PermanentProviderError(f"{SERVICE} answered a job without a usable id")
        logger.info("video.openai.started key=%s video=%s", request.key, video_id)
        return video_id

    def _path(self, render_id: str, suffix: str = "") -> str:
        if not _SAFE_ID.match(render_id):
            raise PermanentProviderError(f"not a {SERVICE} id: {render_id!r}")
        return f"videos/{render_id}{suffix}"

    async def status(self, render_id: str) -> RenderStatus:
        job = json_object(await send(self._http, "GET", self._path(render_id), service=SERVICE), service=SERVICE)
        state = job.get("status")
        progress = _progress(job.get("progress"))
        if state in _RUNNING:
            return RenderStatus(render_id=render_id, state=RenderState.RUNNING, progress=progress)
        if state == "completed":
            return RenderStatus(render_id=render_id, state=RenderState.SUCCEEDED, progress=1.0)
        error: Any = job.get("error")
        if isinstance(error, dict):
            reason = " ".join(str(error.get(part)) for part in ("code", "message") if error.get(part))
        else:
            reason = str(error or f"status {state!r}")
        return RenderStatus(
            render_id=render_id,
            state=RenderState.FAILED,
            error=reason or "no reason given",
            error_type=failure_type(reason),
        )

    async def download(self, render_id: str) -> RenderedVideo:
        response = await send(self._http, "GET", self._path(render_id, "/content"), service=SERVICE)
        return await finished_video(response.content, model=self.model, service=SERVICE)

    async def cancel(self, render_id: str) -> None:
        try:
            await send(self._http, "DELETE", self._path(render_id), service=SERVICE)
        except PermanentProviderError as exc:
            if exc.status != 404:  # Already gone is what we wanted.
                raise
        logger.info("video.openai.cancelled video=%s", render_id)


def _progress(value: object) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return max(0.0, min(1.0, float(value) / 100))
    return None
