"""Image generation through Replicate's predictions API: create, poll until terminal, download.

A prediction we stop waiting for (our deadline, or the calling task cancelled, e.g. a Temporal activity
cancellation) is cancelled at Replicate too, so we never pay for GPU time nobody will collect."""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

import httpx

from core.errors import ContentPolicyError, PermanentProviderError, ProviderError, TransientProviderError
from providers.http import send
from providers.images.base import GeneratedImage, ImageRequest
from providers.images.openai import compose_image_prompt, nearest_size
from providers.openai_compat import data_uri, decode_data_uri, json_object
from providers.vision.measure import image_info

logger = logging.getLogger(__name__)

SERVICE = "replicate"
_RUNNING = ("starting", "processing")
_ASPECT_RATIOS = ((1, 1), (16, 9), (9, 16), (3, 2), (2, 3), (4, 5), (5, 4), (3, 4), (4, 3), (21, 9), (9, 21))
_SAFE_ID = re.compile(r"^[A-Za-z0-9_-]{1,128}$")
# Failure texts that describe the platform's trouble rather than the input's. Out-of-memory is not among
# them: for one model, size and input it recurs on every attempt, so retrying only burns GPU time.
_TRANSIENT_FAILURES = (
    "timed out",
    "timeout",
    "temporarily",
    "try again",
    "unavailable",
    "connection reset",
    "internal server error",
    "worker lost",
    "interrupted",
)
_POLICY_FAILURES = ("nsfw", "safety", "content policy", "flagged", "sensitive")


def failure_error(message: str) -> ProviderError:
    """The typed error for a failed prediction, from its error text."""
    text = message.lower()
    if any(marker in text for marker in _POLICY_FAILURES):
        return ContentPolicyError(f"{SERVICE} prediction refused: {message}")
    if any(marker in text for marker in _TRANSIENT_FAILURES):
        return TransientProviderError(f"{SERVICE} prediction failed: {message}")
    return PermanentProviderError(f"{SERVICE} prediction failed: {message}")


class ReplicateImageProvider:
    name = "replicate"

    def __init__(
        self,
        *,
        base_url: str,
        api_token: str,
        model: str,
        timeout: float,
        poll_interval: float = 1.0,
        deadline_seconds: float = 300.0,
        wait_seconds: int | None = None,
        max_connections: int = 0,
    ) -> None:
        """``model`` is ``owner/name`` (official models) or ``owner/name:version``. ``wait_seconds`` turns on
        sync mode (``Prefer: wait=N``); it must stay under the HTTP timeout or the create call would time out
        and leave a running prediction behind."""
        if wait_seconds is not None and not 1 <= wait_seconds < timeout:
            raise ValueError("wait_seconds must be between 1 and the HTTP timeout")
        self._model, _, self._version = model.partition(":")
        if self._model.count("/") != 1:
            raise ValueError(f"replicate model must be 'owner/name[:version]', got {model!r}")
        self._poll_interval = poll_interval
        self._deadline_seconds = deadline_seconds
        self._wait_seconds = wait_seconds
        # Room for every call the caller may run at once (sync mode holds a connection per prediction).
        limits = httpx.Limits(
            max_connections=max(100, max_connections), max_keepalive_connections=max(20, max_connections)
        )
        self._http = httpx.AsyncClient(
            base_url=base_url, headers={"Authorization": f"Bearer {api_token}"}, timeout=timeout, limits=limits
        )
        # Output files live on a CDN: fetched without our token.
        self._downloads = httpx.AsyncClient(timeout=timeout, follow_redirects=True)

    async def aclose(self) -> None:
        await self._http.aclose()
        await self._downloads.aclose()

    def prediction_input(self, request: ImageRequest) -> dict[str, Any]:
        # Replicate ignores inputs a model does not declare, so we send both the aspect-ratio style (FLUX)
        # and the width/height style (SDXL and friends) of asking for a size.
        ratio = nearest_size(request.width, request.height, _ASPECT_RATIOS)
        payload: dict[str, Any] = {
            "prompt": compose_image_prompt(request, include_negative=False),
            "seed": request.seed,
            "width": request.width,
            "height": request.height,
            "aspect_ratio": f"{ratio[0]}:{ratio[1]}",
            "output_format": "png",
            "num_outputs": 1,
        }
        if request.negative_prompt:
            payload["negative_prompt"] = request.negative_prompt
        references = [ref for figure in request.figures for ref in figure.references]
        if references:
            # Multi-reference models (FLUX Kontext multi-image, and others) take ``input_images``: every
            # member's references, in the figures' order, so each person is conditioned on their own looks.
            payload["input_images"] = [data_uri(ref.data, ref.content_type) for ref in references]
        return payload

    async def generate(self, request: ImageRequest) -> GeneratedImage:
        prediction = await self._create(self.prediction_input(request))
        prediction_id = str(prediction.get("id", ""))
        if not _SAFE_ID.match(prediction_id):
            raise PermanentProviderError(f"{SERVICE} answered a prediction without a usable id")
        try:
            prediction = await self._wait(prediction, prediction_id)
        except asyncio.CancelledError:
            await self._cancel(prediction_id)
            raise
        data = await self._download(self._output_url(prediction))
        try:
            info = image_info(data)
        except ValueError as exc:
            raise PermanentProviderError(f"{SERVICE} output is not a readable image: {exc}") from exc
        return GeneratedImage(
            data=data,
            content_type=info.content_type,
            width=info.width,
            height=info.height,
            model=f"{self._model}:{self._version}" if self._version else self._model,
        )

    async def _create(self, payload: dict[str, Any]) -> dict[str, Any]:
        headers = {"Prefer": f"wait={self._wait_seconds}"} if self._wait_seconds else {}
        if self._version:
            path, body = "predictions", {"version": self._version, "input": payload}
        else:
            path, body = f"models/{self._model}/predictions", {"input": payload}
        response = await send(self._http, "POST", path, service=SERVICE, json=body, headers=headers)
        return json_object(response, service=SERVICE)

    async def _wait(self, prediction: dict[str, Any], prediction_id: str) -> dict[str, Any]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._deadline_seconds
        delay = self._poll_interval
        while prediction.get("status") in _RUNNING:
            remaining = deadline - loop.time()
            if remaining <= 0:
                await self._cancel(prediction_id)
                raise TransientProviderError(
                    f"{SERVICE} prediction {prediction_id} still {prediction.get('status')} after "
                    f"{self._deadline_seconds:g}s; cancelled"
                )
            await asyncio.sleep(min(delay, remaining))
            delay = self._poll_interval
            try:
                response = await send(self._http, "GET", f"predictions/{prediction_id}", service=SERVICE)
            except TransientProviderError as exc:
                # The prediction runs on regardless: giving up on a poll hiccup would make the retry pay for
                # a second one. Keep polling, as slowly as the server asks, until the deadline.
                logger.warning("replicate.poll_failed prediction=%s error=%s", prediction_id, exc.message)
                delay = max(delay, exc.retry_after or 0.0)
                continue
            prediction = json_object(response, service=SERVICE)
        status = prediction.get("status")
        if status == "succeeded":
            return prediction
        if status == "failed":
            raise failure_error(str(prediction.get("error") or "no error text"))
        if status == "aborted":  # Never started (deadline passed in the queue): capacity, worth a retry.
            raise TransientProviderError(f"{SERVICE} prediction {prediction_id} aborted before it started")
        if status == "canceled":  # Someone cancelled it on purpose; a retry would override their decision.
            raise PermanentProviderError(f"{SERVICE} prediction {prediction_id} was canceled")
        raise PermanentProviderError(f"{SERVICE} prediction {prediction_id} has unknown status {status!r}")

    async def _cancel(self, prediction_id: str) -> None:
        """Best effort and shielded: it runs while our own task is being cancelled (a second cancellation
        still propagates, the request goes on), and a failed cancel must not hide why we stopped waiting."""
        cancel = send(self._http, "POST", f"predictions/{prediction_id}/cancel", service=SERVICE)
        try:
            await asyncio.shield(cancel)
        except Exception as exc:
            logger.warning("replicate.cancel_failed prediction=%s error=%r", prediction_id, exc)
        else:
            logger.info("replicate.cancelled prediction=%s", prediction_id)

    @staticmethod
    def _output_url(prediction: dict[str, Any]) -> str:
        output = prediction.get("output")
        if isinstance(output, list):
            output = output[0] if output else None
        if not isinstance(output, str) or not output:
            raise PermanentProviderError(f"{SERVICE} prediction succeeded without an output file")
        return output

    async def _download(self, url: str) -> bytes:
        if url.startswith("data:"):
            return decode_data_uri(url)
        response = await send(self._downloads, "GET", url, service=f"{SERVICE} download")
        return response.content
