"""Jobs (short generations): a job goes queued → running → completed or failed, and stays there."""

from __future__ import annotations

from enum import StrEnum

from domain import transitions


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"


class JobKind(StrEnum):
    REGENERATE = "regenerate"
    FINE_TUNE_CAPTION = "fine_tune_caption"
    WARDROBE = "wardrobe"
    ANALYZE_PHOTOS = "analyze_photos"
    CONTENT_DIRECTIONS = "content_directions"
    VIDEO = "video"
    VOICE_CAPTION = "voice_caption"


_J = JobStatus
JOB_TRANSITIONS: dict[JobStatus, frozenset[JobStatus]] = {
    # A job fails from the queue when its workflow cannot start, or its first step fails before it ran.
    _J.QUEUED: frozenset({_J.RUNNING, _J.FAILED}),
    _J.RUNNING: frozenset({_J.COMPLETED, _J.FAILED}),
    _J.COMPLETED: frozenset(),
    _J.FAILED: frozenset(),
}

FINISHED_JOB_STATUSES = transitions.terminal(JOB_TRANSITIONS)
UNFINISHED_JOB_STATUSES = frozenset(JobStatus) - FINISHED_JOB_STATUSES


def check_job_transition(current: str, new: JobStatus) -> None:
    transitions.check_transition(JOB_TRANSITIONS, "job", current, new)


def can_job_transition(current: str, new: JobStatus) -> bool:
    return transitions.can_transition(JOB_TRANSITIONS, current, new)
