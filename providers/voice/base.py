"""The voice provider interface: clone a character's voice from its samples, and delete a cloned voice."""

from __future__ import annotations

from typing import Protocol

from pydantic import BaseModel, Field


class VoiceAudio(BaseModel):
    """One sample's bytes, as stored (the provider reads its format from the bytes)."""

    sample_id: str
    data: bytes
    filename: str
    content_type: str


class CloneRequest(BaseModel):
    name: str = Field(min_length=1, description="A label the provider shows for the voice")
    samples: list[VoiceAudio] = Field(min_length=1)


class ClonedVoice(BaseModel):
    voice_id: str = Field(min_length=1)
    # What the provider measured of the voice; the local provider keeps its fingerprint here.
    fingerprint: dict[str, float | None] = Field(default_factory=dict)


class VoiceProvider(Protocol):
    name: str

    async def clone(self, request: CloneRequest) -> ClonedVoice: ...

    async def delete(self, voice_id: str) -> None:
        """Forget a voice; a voice that is already gone is not an error."""

    async def aclose(self) -> None:
        """Release connections (the worker calls it on shutdown)."""
