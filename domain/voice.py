"""Voice: a character's spoken voice (samples → a cloned voice) and a profile's written voice (its corpus).

The clone status is a ``StrEnum`` with a transition table like every other status. A change of samples may
move any status to ``cloning`` or ``insufficient_samples``, because a new set of samples supersedes whatever
the previous set was doing; only a running clone may end ``ready`` or ``failed``."""

from __future__ import annotations

from enum import StrEnum

from domain import transitions


class CloneStatus(StrEnum):
    NONE = "none"
    INSUFFICIENT_SAMPLES = "insufficient_samples"
    CLONING = "cloning"
    READY = "ready"
    FAILED = "failed"


class CorpusSource(StrEnum):
    """Where a sample of a profile's written voice came from."""

    IMPORTED = "imported"
    PUBLISHED = "published"
    APPROVED = "approved"
    MANUAL = "manual"


_C = CloneStatus
_SAMPLES_CHANGED = frozenset({_C.CLONING, _C.INSUFFICIENT_SAMPLES, _C.NONE})
CLONE_TRANSITIONS: dict[CloneStatus, frozenset[CloneStatus]] = {
    _C.NONE: _SAMPLES_CHANGED,
    _C.INSUFFICIENT_SAMPLES: _SAMPLES_CHANGED,
    _C.CLONING: _SAMPLES_CHANGED | {_C.READY, _C.FAILED},
    _C.READY: _SAMPLES_CHANGED,
    _C.FAILED: _SAMPLES_CHANGED,
}

# Instant voice cloning needs about half a minute of speech; fewer seconds make a voice nobody recognises.
MIN_CLONE_SECONDS = 30.0
MIN_SAMPLE_SECONDS = 3.0
MAX_SAMPLE_SECONDS = 300.0
MAX_SAMPLE_BYTES = 20 * 1024 * 1024
# ffmpeg's demuxer names (as it reports them) → the format we list. Anything else is refused with 415.
AUDIO_FORMATS: dict[str, str] = {
    "wav": "wav",
    "mp3": "mp3",
    "mov,mp4,m4a,3gp,3g2,mj2": "m4a",
    "ogg": "ogg",
    "matroska,webm": "webm",
}
AUDIO_CONTENT_TYPES = {"wav": "audio/wav", "mp3": "audio/mpeg", "m4a": "audio/mp4", "ogg": "audio/ogg",
                       "webm": "audio/webm"}  # fmt: skip

# Captions by platform: the longest text each accepts.
CAPTION_LIMITS = {"x": 280, "tiktok": 2200, "instagram": 2200, "sandbox": 2200}
GROUNDING_SAMPLES = 5


def clone_status_for(total_seconds: float, sample_count: int) -> CloneStatus:
    """What a set of samples means for the clone: nothing, too little, or enough to clone."""
    if sample_count == 0:
        return CloneStatus.NONE
    if total_seconds < MIN_CLONE_SECONDS:
        return CloneStatus.INSUFFICIENT_SAMPLES
    return CloneStatus.CLONING


def check_clone_transition(current: str, new: CloneStatus) -> None:
    transitions.check_transition(CLONE_TRANSITIONS, "voice clone", current, new)


def can_clone_transition(current: str, new: CloneStatus) -> bool:
    return transitions.can_transition(CLONE_TRANSITIONS, current, new)


def clone_workflow_id(influencer_id: str) -> str:
    """One clone workflow per character: Temporal keeps at most one running under this id."""
    return f"voice-clone-{influencer_id}"
