"""The video provider interface: image-to-video renders that may take minutes.

A render is started, polled and downloaded in separate calls, so the activity that drives it can record the
render id (in its heartbeat details) and, after a worker restart, find the same render again instead of
starting, and paying for, a second one."""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

from pydantic import BaseModel, Field

from core.errors import ContentPolicyError, PermanentProviderError, ProviderError, TransientProviderError
from domain.video import AspectRatio, Motion, Pace


class VideoRequest(BaseModel):
    """One render: the item's image and how to move over it. ``key`` is derived from what is rendered
    (content, revision, variant), so the same request always names the same render."""

    key: str = Field(min_length=1, max_length=200)
    image: bytes
    image_content_type: str = "image/png"
    prompt: str = ""
    duration_seconds: int = Field(default=6, ge=3, le=15)
    aspect_ratio: AspectRatio = "9:16"
    motion: Motion = "zoom_in"
    pace: Pace = "normal"
    hook_text: str | None = Field(default=None, max_length=120)
    caption_text: str | None = Field(default=None, max_length=2200)
    seed: int = Field(default=0, ge=0)


class RenderState(StrEnum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class RenderStatus(BaseModel):
    render_id: str
    state: RenderState
    progress: float | None = Field(default=None, ge=0, le=1)
    error: str | None = None
    # For a FAILED render: the ``ProviderError`` type name that says whether a retry can help
    # (``TransientProviderError``, ``ContentPolicyError``, ``PermanentProviderError``); see ``failure_error``.
    error_type: str | None = None


_FAILURE_TYPES: dict[str, type[ProviderError]] = {
    kind.type_name: kind for kind in (TransientProviderError, ContentPolicyError, PermanentProviderError)
}


def failure_error(status: RenderStatus) -> ProviderError:
    """The typed error a FAILED status stands for, so the activity's retry decision follows the provider's
    reason (a policy refusal is final, a worker lost at the provider is worth another render)."""
    kind = _FAILURE_TYPES.get(status.error_type or "", PermanentProviderError)
    return kind(f"render {status.render_id} failed: {status.error or 'no reason given'}")


class RenderedVideo(BaseModel):
    """The finished MP4 (H.264/yuv420p, AAC track, faststart) and a JPEG poster frame."""

    data: bytes
    poster: bytes
    content_type: str = "video/mp4"
    width: int
    height: int
    duration_seconds: float
    codec: str = "h264"
    model: str


class VideoProvider(Protocol):
    name: str

    async def start(self, request: VideoRequest) -> str:
        """Begin a render and return its id; starting the same ``request.key`` twice may return one id."""
        ...

    async def status(self, render_id: str) -> RenderStatus: ...

    async def download(self, render_id: str) -> RenderedVideo: ...

    async def cancel(self, render_id: str) -> None: ...

    async def aclose(self) -> None: ...
