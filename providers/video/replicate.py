"""Image-to-video through Replicate's predictions API: create (the image as a data URI), poll
``GET /predictions/{id}``, cancel ``POST /predictions/{id}/cancel``, download the output file.

Polling is the activity's job (it heartbeats between calls and owns the deadline), so ``status`` is one
GET and a prediction that never finishes simply stays RUNNING until the activity cancels it."""

from __future__ import annotations

import base64
import logging
import re
from typing import Any

import httpx

from core.errors import PermanentProviderError, TransientProviderError
from providers.http import send
from providers.openai_compat import decode_data_uri, json_object
from providers.video.base import RenderedVideo, RenderState, RenderStatus, VideoRequest
from providers.video.remote import failure_type, finished_video

logger = logging.getLogger(__name__)

SERVICE = "replicate"
_SAFE_ID = re.compile(r"^[A-Za-z0-9_-]{1,128}$")
_RUNNING = ("starting", "processing")


class ReplicateVideoProvider:
    name = "replicate"

    def __init__(self, *, base_url: str, api_token: str, model: str, timeout: float) -> None:
        """``model`` is ``owner/name`` (official models) or ``owner/name:version``."""
        self._model, _, self._version = model.partition(":")
        if self._model.count("/") != 1:
            raise ValueError(f"replicate model must be 'owner/name[:version]', got {model!r}")
        self._http = httpx.AsyncClient(
            base_url=base_url, headers={"Authorization": f"Bearer {api_token}"}, timeout=timeout
        )
        # Output files live on a CDN: fetched without our token.
        self._downloads = httpx.AsyncClient(timeout=timeout, follow_redirects=True)

    @property
    def model(self) -> str:
        return f"{self._model}:{self._version}" if self._version else self._model

    async def aclose(self) -> None:
        await self._http.aclose()
        await self._downloads.aclose()

    def prediction_input(self, request: VideoRequest) -> dict[str, Any]:
        # Models name their inputs differently (Kling: start_image, Wan: image); Replicate ignores inputs a
        # model does not declare, so we send both spellings of the image.
        image = f"data:{request.image_content_type};base64,{base64.b64encode(request.image).decode()}"
        prompt = request.prompt or f"{request.motion.replace('_', ' ')} camera move, {request.pace} pace"
        return {
            "prompt": prompt,
            "start_image": image,
            "image": image,
            "duration": request.duration_seconds,
            "aspect_ratio": request.aspect_ratio,
            "seed": request.seed,
        }

    async def start(self, request: VideoRequest) -> str:
        if self._version:
            path, body = "predictions", {"version": self._version, "input": self.prediction_input(request)}
        else:
            path, body = f"models/{self._model}/predictions", {"input": self.prediction_input(request)}
        response = await send(self._http, "POST", path, service=SERVICE, json=body)
        prediction_id = str(json_object(response, service=SERVICE).get("id", ""))
        if not _SAFE_ID.match(prediction_id):
            raise PermanentProviderError(f"{SERVICE} answered a prediction without a usable id")
        logger.info("video.replicate.started key=%s prediction=%s", request.key, prediction_id)
        return prediction_id

    async def _prediction(self, render_id: str) -> dict[str, Any]:
        if not _SAFE_ID.match(render_id):
            raise PermanentProviderError(f"not a {SERVICE} prediction id: {render_id!r}")
        response = await send(self._http, "GET", f"predictions/{render_id}", service=SERVICE)
        return json_object(response, service=SERVICE)

    async def status(self, render_id: str) -> RenderStatus:
        prediction = await self._prediction(render_id)
        state = prediction.get("status")
        if state in _RUNNING:
            return RenderStatus(render_id=render_id, state=RenderState.RUNNING)
        if state == "succeeded":
            return RenderStatus(render_id=render_id, state=RenderState.SUCCEEDED, progress=1.0)
        if state == "failed":
            reason = str(prediction.get("error") or "no error text")
            return RenderStatus(
                render_id=render_id, state=RenderState.FAILED, error=reason, error_type=failure_type(reason)
            )
        if state == "aborted":  # Never started (its queue deadline passed): capacity, worth another render.
            return RenderStatus(
                render_id=render_id,
                state=RenderState.FAILED,
                error="aborted before it started",
                error_type=TransientProviderError.type_name,
            )
        reason = "canceled" if state == "canceled" else f"unknown status {state!r}"
        return RenderStatus(
            render_id=render_id,
            state=RenderState.FAILED,
            error=reason,
            error_type=PermanentProviderError.type_name,
        )

    async def download(self, render_id: str) -> RenderedVideo:
        prediction = await self._prediction(render_id)
        if prediction.get("status") != "succeeded":
            raise PermanentProviderError(f"{SERVICE} prediction {render_id} is {prediction.get('status')!r}")
        url = self._output_url(prediction)
        if url.startswith("data:"):
            data = decode_data_uri(url)
        else:
            data = (await send(self._downloads, "GET", url, service=f"{SERVICE} download")).content
        return await finished_video(data, model=self.model, service=SERVICE)

    async def cancel(self, render_id: str) -> None:
        if not _SAFE_ID.match(render_id):
            raise PermanentProviderError(f"not a {SERVICE} prediction id: {render_id!r}")
        await send(self._http, "POST", f"predictions/{render_id}/cancel", service=SERVICE)
        logger.info("video.replicate.cancelled prediction=%s", render_id)

    @staticmethod
    def _output_url(prediction: dict[str, Any]) -> str:
        output = prediction.get("output")
        if isinstance(output, list):
            output = output[0] if output else None
        if not isinstance(output, str) or not output:
            raise PermanentProviderError(f"{SERVICE} prediction succeeded without an output file")
        return output
