"""Contracts of video work: one video for a content item (a job), and A/B comparisons of variants.

Render keys are derived from content, revision and the job or variant that asked, so a retried render step
names the same render (and the same charge) while a second request for the same revision is a new render."""

from __future__ import annotations

from pydantic import Field

from contracts.base import Contract
from domain.video import AspectRatio, ComparisonStatus, Motion, Pace, VideoAsset

RENDER_VIDEO_WORKFLOW = "RenderVideoWorkflow"
VIDEO_COMPARISON_WORKFLOW = "VideoComparisonWorkflow"

# How often a render step asks the provider how its render is doing.
DEFAULT_POLL_SECONDS = 1.0


def video_workflow_id(content_id: str) -> str:
    """One video job per item at a time: a second request while one runs is refused by Temporal (409)."""
    return f"video-{content_id}"


def video_comparison_workflow_id(comparison_id: str) -> str:
    return f"video-comparison-{comparison_id}"


def render_key(content_id: str, revision: int, requester_id: str) -> str:
    """The provider's idempotency key of one render; ``requester_id`` is the job or the variant."""
    return f"{content_id}:r{revision}:{requester_id}"


def video_charge_key(key: str) -> str:
    """The usage-ledger key of a render: one charge per render, however often the step is retried."""
    return f"{key}:video"


class VideoParams(Contract):
    """How to render: the options of ``POST /content/{id}/video`` (and of each comparison variant)."""

    duration_seconds: int = Field(default=6, ge=3, le=15)
    aspect_ratio: AspectRatio = "9:16"
    motion: Motion = "zoom_in"
    pace: Pace = "normal"
    hook_text: str | None = Field(default=None, max_length=120)
    caption_overlay: bool = False


class RenderVideoInput(Contract):
    job_id: str
    account_id: str
    content_id: str
    params: VideoParams = VideoParams()
    poll_seconds: float = Field(default=DEFAULT_POLL_SECONDS, gt=0, le=60)
    heartbeat_timeout_seconds: int = Field(default=10, ge=1, description="heartbeat timeout of the render step")


class VideoTarget(Contract):
    """One render to make: of which item (at which revision), for the job or for a comparison variant."""

    account_id: str
    content_id: str
    revision: int
    key: str
    params: VideoParams
    job_id: str | None = None
    comparison_id: str | None = None
    variant_id: str | None = None
    poll_seconds: float = Field(default=DEFAULT_POLL_SECONDS, gt=0, le=60)


class RecordVideoInput(Contract):
    target: VideoTarget
    video: VideoAsset


class VideoComparisonInput(Contract):
    comparison_id: str
    account_id: str
    content_id: str
    poll_seconds: float = Field(default=DEFAULT_POLL_SECONDS, gt=0, le=60)
    heartbeat_timeout_seconds: int = Field(default=10, ge=1, description="heartbeat timeout of each render step")


class ComparisonPlan(Contract):
    """What the comparison renders: one target per variant, in label order."""

    targets: list[VideoTarget]


class VariantFailure(Contract):
    comparison_id: str
    variant_id: str
    code: str
    error: str


class ComparisonDone(Contract):
    comparison_id: str
    status: ComparisonStatus
    completed: int
    failed: int
