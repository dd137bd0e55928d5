"""The embedded voice provider: it decodes the samples with the bundled ffmpeg, measures the voice from
them (pitch, loudness, voiced share) and keeps that fingerprint as its voice. The voice id is derived from
the samples' bytes, so cloning the same samples again gives the same voice, and a retried clone repeats
nothing. Deleting is a no-op: the fingerprint lives on the clone's own row, not here."""

from __future__ import annotations

import asyncio
import hashlib

from providers.voice.audio import decode_audio, measure_traits, pool_traits
from providers.voice.base import ClonedVoice, CloneRequest


class LocalVoiceProvider:
    name = "local"

    async def clone(self, request: CloneRequest) -> ClonedVoice:
        digest = hashlib.sha256()
        weighted = []
        for sample in sorted(request.samples, key=lambda s: s.sample_id):
            decoded = await decode_audio(sample.data, sample.sample_id)
            # On a thread: the activity's heartbeats run on the event loop meanwhile.
            traits = await asyncio.to_thread(measure_traits, decoded.samples)
            weighted.append((decoded.duration_seconds, traits.as_dict()))
            digest.update(hashlib.sha256(sample.data).digest())
        return ClonedVoice(voice_id=f"local_{digest.hexdigest()[:24]}", fingerprint=pool_traits(weighted))

    async def delete(self, voice_id: str) -> None:
        return None

    async def aclose(self) -> None:
        return None
