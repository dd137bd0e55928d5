"""The local renderer makes real MP4s: right size, frame rate, length and audio for each aspect ratio, the
same bytes for the same request, different bytes for another seed or motion, visible text overlays."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageStat

from core.errors import PermanentProviderError
from providers.video.base import RenderState, VideoRequest, failure_error
from providers.video.ffmpeg import poster_frame
from providers.video.local import provider as local_provider
from providers.video.local.provider import LocalVideoProvider
from providers.video.local.render import frame_size
from providers.video.probe import inspect, probe

SCALE = 0.25  # 270x480 for 9:16: small renders keep the suite quick on two cores


def photo(width: int = 640, height: int = 480) -> bytes:
    """A picture with structure, so camera motion shows up in the pixels."""
    image = Image.new("RGB", (width, height), (30, 60, 90))
    draw = ImageDraw.Draw(image)
    for x in range(0, width, 40):
        draw.rectangle((x, 0, x + 18, height), fill=(200, (x * 3) % 255, 60))
    draw.ellipse((width // 3, height // 3, 2 * width // 3, 2 * height // 3), fill=(240, 240, 240))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


PHOTO = photo()


def request(**overrides: object) -> VideoRequest:
    fields: dict = {"key": "cnt_1:rev1:A", "image": PHOTO, "duration_seconds": 3, **overrides}
    return VideoRequest(**fields)


@pytest.fixture
async def provider(tmp_path: Path) -> AsyncIterator[LocalVideoProvider]:
    provider = LocalVideoProvider(tmp_path / "renders", scale=SCALE)
    yield provider
    await provider.aclose()


async def render(provider: LocalVideoProvider, **overrides: object) -> tuple[bytes, bytes]:
    video = await provider.download(await provider.start(request(**overrides)))
    return video.data, video.poster


@pytest.mark.parametrize("aspect_ratio", ["9:16", "1:1", "16:9"])
async def test_each_aspect_ratio_renders_a_decodable_mp4(provider: LocalVideoProvider, aspect_ratio: str) -> None:
    render_id = await provider.start(request(aspect_ratio=aspect_ratio, key=f"k-{aspect_ratio}"))
    status = await provider.status(render_id)
    video = await provider.download(render_id)

    info = inspect(video.data)
    width, height = frame_size(aspect_ratio, SCALE)
    assert status.state is RenderState.SUCCEEDED
    assert (info.width, info.height, video.width, video.height) == (width, height, width, height)
    assert (info.codec, info.pix_fmt, info.fps) == ("h264", "yuv420p", 30.0)
    assert abs(info.frame_count - 90) <= 1
    assert abs(info.duration_seconds - 3) <= 1 / 30
    assert (info.audio_codec, info.audio_sample_rate) == ("aac", 48000)
    assert info.moov_before_mdat is True  # faststart
    assert video.content_type == "video/mp4" and video.model == local_provider.MODEL


async def test_full_size_vertical_render_and_poster(tmp_path: Path) -> None:
    provider = LocalVideoProvider(tmp_path / "full")
    video = await provider.download(await provider.start(request(hook_text="Wait for it")))

    width, height, duration, codec, frames = probe(video.data)
    assert (width, height, codec) == (1080, 1920, "h264")
    assert abs(duration - 3) <= 1 / 30 and abs(frames - 90) <= 1
    poster = Image.open(io.BytesIO(video.poster))
    assert (poster.format, poster.size) == ("JPEG", (1080, 1920))


async def test_poster_is_a_jpeg_of_the_video_size(provider: LocalVideoProvider) -> None:
    _, poster = await render(provider, aspect_ratio="16:9")

    image = Image.open(io.BytesIO(poster))
    assert (image.format, image.size) == ("JPEG", frame_size("16:9", SCALE))


async def test_same_request_gives_the_same_bytes(tmp_path: Path) -> None:
    first = LocalVideoProvider(tmp_path / "a", scale=SCALE)
    second = LocalVideoProvider(tmp_path / "b", scale=SCALE)
    options = {"hook_text": "Three things nobody tells you", "caption_text": "Slow Sunday #coffee", "seed": 9}

    assert await render(first, **options) == await render(second, **options)


@pytest.mark.parametrize(
    "change", [{"seed": 1}, {"motion": "pan_left"}, {"motion": "orbit"}, {"pace": "fast"}, {"motion": "zoom_out"}]
)
async def test_another_seed_motion_or_pace_gives_other_bytes(tmp_path: Path, change: dict[str, object]) -> None:
    base = LocalVideoProvider(tmp_path / "base", scale=SCALE)
    other = LocalVideoProvider(tmp_path / "other", scale=SCALE)

    base_video, _ = await render(base)
    other_video, _ = await render(other, **change)

    assert base_video != other_video


def _mean_difference(first: bytes, second: bytes, box: tuple[float, float, float, float]) -> float:
    a, b = Image.open(io.BytesIO(first)).convert("L"), Image.open(io.BytesIO(second)).convert("L")
    w, h = a.size
    region = (int(box[0] * w), int(box[1] * h), int(box[2] * w), int(box[3] * h))
    return float(ImageStat.Stat(ImageChops.difference(a.crop(region), b.crop(region))).mean[0])


async def test_hook_and_caption_overlays_change_the_pixels_where_they_sit(tmp_path: Path) -> None:
    plain = LocalVideoProvider(tmp_path / "plain", scale=SCALE)
    hooked = LocalVideoProvider(tmp_path / "hook", scale=SCALE)
    captioned = LocalVideoProvider(tmp_path / "caption", scale=SCALE)
    _, plain_poster = await render(plain)
    _, hook_poster = await render(hooked, hook_text="Stop scrolling: this changed my mornings")
    _, caption_poster = await render(captioned, caption_text="Golden light, slow Sunday. #coffee #sunday")

    assert _mean_difference(plain_poster, hook_poster, (0.1, 0.15, 0.9, 0.35)) > 10  # upper third
    assert _mean_difference(plain_poster, hook_poster, (0, 0.85, 1, 1)) < 3
    assert _mean_difference(plain_poster, caption_poster, (0.1, 0.68, 0.9, 0.8)) > 10  # above the bottom edge
    assert _mean_difference(plain_poster, caption_poster, (0, 0, 1, 0.4)) < 3


async def test_camera_moves_between_first_and_last_second(provider: LocalVideoProvider) -> None:
    data, _ = await render(provider, motion="pan_right")

    early, late = await poster_frame(data, at_seconds=0.6), await poster_frame(data, at_seconds=2.3)
    assert _mean_difference(early, late, (0, 0, 1, 1)) > 5


async def test_starting_a_key_twice_renders_once(provider: LocalVideoProvider, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real_render = local_provider.render

    async def counting_render(*args: object, **kwargs: object) -> object:
        calls.append("render")
        return await real_render(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(local_provider, "render", counting_render)
    first = await provider.start(request())
    second = await provider.start(request())

    assert first == second and calls == ["render"]


async def test_cancel_removes_the_render(provider: LocalVideoProvider) -> None:
    render_id = await provider.start(request())
    await provider.cancel(render_id)

    status = await provider.status(render_id)
    assert status.state is RenderState.FAILED
    with pytest.raises(PermanentProviderError):
        await provider.download(render_id)


async def test_unreadable_image_fails_permanently_with_the_reason(provider: LocalVideoProvider) -> None:
    render_id = await provider.start(request(image=b"not an image at all"))

    status = await provider.status(render_id)
    assert status.state is RenderState.FAILED
    assert status.error_type == "PermanentProviderError" and "not a readable image" in (status.error or "")
    assert isinstance(failure_error(status), PermanentProviderError)
    with pytest.raises(PermanentProviderError):
        await provider.download(render_id)


def test_probe_refuses_bytes_that_are_not_a_video() -> None:
    with pytest.raises(ValueError, match="no video stream"):
        probe(b"plain text")
