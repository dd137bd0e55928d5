"""What the HTTP video adapters share: classifying a provider's failure text, and turning a downloaded MP4
into a ``RenderedVideo`` (size and duration probed, poster frame extracted) with the local ffmpeg."""

from __future__ import annotations

from core.errors import ContentPolicyError, PermanentProviderError, TransientProviderError
from providers.video.base import RenderedVideo
from providers.video.ffmpeg import poster_frame
from providers.video.probe import inspect_async

# Failure texts that describe the platform's trouble rather than the input's: another render may succeed.
_TRANSIENT_FAILURES = (
    "timed out",
    "timeout",
    "temporarily",
    "try again",
    "unavailable",
    "internal server error",
    "internal_error",
    "worker lost",
    "interrupted",
)
_POLICY_FAILURES = ("nsfw", "safety", "content policy", "content_policy", "moderation", "flagged", "sensitive")


def failure_type(message: str) -> str:
    """The ``ProviderError`` type name for a failed render's reason."""
    text = message.lower()
    if any(marker in text for marker in _POLICY_FAILURES):
        return ContentPolicyError.type_name
    if any(marker in text for marker in _TRANSIENT_FAILURES):
        return TransientProviderError.type_name
    return PermanentProviderError.type_name


async def finished_video(data: bytes, *, model: str, service: str) -> RenderedVideo:
    """Describe a downloaded MP4; bytes that are not a video are a permanent failure of that render."""
    try:
        info = await inspect_async(data)
    except ValueError as exc:
        raise PermanentProviderError(f"{service} output is not a readable video: {exc}") from exc
    poster = await poster_frame(data, at_seconds=min(1.0, info.duration_seconds / 3))
    return RenderedVideo(
        data=data,
        poster=poster,
        width=info.width,
        height=info.height,
        duration_seconds=info.duration_seconds,
        codec=info.codec,
        model=model,
    )
