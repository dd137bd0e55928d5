"""Bodies and presenters of a character's voice: its samples, measured traits and clone."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from pydantic import Field, HttpUrl

from core.wire import InputSchema, Schema
from domain.voice import CloneStatus
from providers.storage.base import MediaStorage
from store.models import VoiceClone, VoiceSample


class VoiceSampleByUrl(InputSchema):
    url: HttpUrl = Field(description="Where to fetch the audio (wav, mp3, m4a, ogg or webm; 20 MB at most)")


class VoiceTraitsOut(Schema):
    median_pitch_hz: float | None = None
    pitch_low_hz: float | None = None
    pitch_high_hz: float | None = None
    loudness_dbfs: float | None = None
    voiced_share: float | None = None


class VoiceSampleOut(Schema):
    id: str
    url: str
    duration_seconds: float
    format: str
    sample_rate: int
    traits: VoiceTraitsOut
    added_at: datetime


class VoiceCloneOut(Schema):
    status: CloneStatus
    provider: str | None = None
    voice_id: str | None = None
    error: str | None = None
    updated_at: datetime | None = None


class VoiceProfileOut(Schema):
    character_id: str
    samples: list[VoiceSampleOut]
    total_duration_seconds: float
    traits: VoiceTraitsOut = Field(description="Measured from all samples, weighted by their duration")
    clone: VoiceCloneOut


def _traits(values: dict[str, float | None]) -> VoiceTraitsOut:
    return VoiceTraitsOut.model_validate(values)


def pooled_traits(samples: Sequence[VoiceSample]) -> VoiceTraitsOut:
    total = sum(s.duration_seconds for s in samples)
    if not total:
        return VoiceTraitsOut()
    out: dict[str, float | None] = {}
    for key in ("medianPitchHz", "loudnessDbfs", "voicedShare"):
        pairs = [(s.duration_seconds, s.traits.get(key)) for s in samples if s.traits.get(key) is not None]
        weight = sum(w for w, _ in pairs)
        out[key] = round(sum(w * float(v) for w, v in pairs if v is not None) / weight, 3) if weight else None
    lows = [float(s.traits["pitchLowHz"]) for s in samples if s.traits.get("pitchLowHz") is not None]
    highs = [float(s.traits["pitchHighHz"]) for s in samples if s.traits.get("pitchHighHz") is not None]
    out["pitchLowHz"], out["pitchHighHz"] = (min(lows) if lows else None), (max(highs) if highs else None)
    return _traits(out)


def voice_profile_out(
    influencer_id: str, samples: Sequence[VoiceSample], clone: VoiceClone | None, storage: MediaStorage
) -> VoiceProfileOut:
    return VoiceProfileOut(
        character_id=influencer_id,
        samples=[
            VoiceSampleOut(
                id=s.id, url=storage.url(s.storage_key), duration_seconds=s.duration_seconds, format=s.format,
                sample_rate=s.sample_rate, traits=_traits(s.traits), added_at=s.created_at,
            )
            for s in samples
        ],
        total_duration_seconds=round(sum(s.duration_seconds for s in samples), 3),
        traits=pooled_traits(samples),
        clone=VoiceCloneOut(
            status=CloneStatus(clone.status) if clone else CloneStatus.NONE,
            provider=clone.provider if clone else None,
            voice_id=clone.voice_id if clone else None,
            error=clone.error if clone else None,
            updated_at=clone.updated_at if clone else None,
        ),
    )
