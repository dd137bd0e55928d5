"""Instant voice cloning over HTTP, in the ElevenLabs wire format: ``POST /v1/voices/add`` (multipart
``name`` and one ``files`` part per sample, key in ``xi-api-key``) answers ``{"voice_id": ...}``;
``DELETE /v1/voices/{voice_id}`` forgets it. Failures map through ``providers.http``: 401/403 are auth
errors, 400/422 permanent, 429 (with ``Retry-After``) and 5xx retried."""

from __future__ import annotations

import httpx

from core.errors import PermanentProviderError
from providers.http import send
from providers.voice.base import ClonedVoice, CloneRequest

SERVICE = "voice cloning"


class ElevenLabsVoiceProvider:
    name = "elevenlabs"

    def __init__(self, *, base_url: str, api_key: str, timeout: float = 60.0) -> None:
        self._client = httpx.AsyncClient(
            base_url=base_url.rstrip("/"), headers={"xi-api-key": api_key}, timeout=timeout
        )

    async def clone(self, request: CloneRequest) -> ClonedVoice:
        files = [("files", (s.filename, s.data, s.content_type)) for s in request.samples]
        response = await send(
            self._client, "POST", "/v1/voices/add", service=SERVICE, data={"name": request.name}, files=files
        )
        try:
            voice_id = response.json().get("voice_id")
        except (ValueError, AttributeError) as exc:
            raise PermanentProviderError(f"{SERVICE} answered something that is not JSON") from exc
        if not isinstance(voice_id, str) or not voice_id:
            raise PermanentProviderError(f"{SERVICE} answered without a voice_id")
        return ClonedVoice(voice_id=voice_id)

    async def delete(self, voice_id: str) -> None:
        try:
            await send(self._client, "DELETE", f"/v1/voices/{voice_id}", service=SERVICE)
        except PermanentProviderError as exc:
            if exc.status != 404:
                raise
            # Already gone: what deleting wanted.

    async def aclose(self) -> None:
        await self._client.aclose()
