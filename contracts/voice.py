"""Contracts of the per-character voice clone workflow (voice-grounded captions are a job: contracts/jobs.py)."""

from __future__ import annotations

from pydantic import Field

from contracts.base import Contract
from domain.voice import CloneStatus

VOICE_CLONE_WORKFLOW = "VoiceCloneWorkflow"


class VoiceCloneInput(Contract):
    """One change of a character's samples. ``revision`` is the clone row's revision this run serves; a
    run whose revision is no longer the row's was superseded and records nothing."""

    account_id: str
    influencer_id: str
    revision: int = Field(ge=0)
    clone: bool = Field(description="False when the samples are too few to clone: only the old voice goes")


class ClonedVoiceRef(Contract):
    provider: str
    voice_id: str
    fingerprint: dict[str, float | None] = {}


class VoiceReadyInput(Contract):
    account_id: str
    influencer_id: str
    revision: int
    voice: ClonedVoiceRef


class VoiceFailedInput(Contract):
    account_id: str
    influencer_id: str
    revision: int
    error: str


class VoiceCloneResult(Contract):
    status: CloneStatus
    voice_id: str | None = None
    superseded: bool = False
