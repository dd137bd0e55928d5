"""One local render: the request's image cover-cropped onto a canvas with room to move, camera motion by
``zoompan``, hook and caption overlays, fades, a silent AAC track, encoded to H.264/yuv420p with faststart.

Reproducible bytes: the canvas is prepared by Pillow, every filter expression depends only on the frame
number, the encoder runs with a fixed thread count, and the bitexact flags keep versions and dates out of
the file. The same request therefore gives the same MP4 on every machine with the same ffmpeg build."""

from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps

from core.errors import PermanentProviderError
from domain.video import ASPECT_SIZES
from providers.video.base import VideoRequest
from providers.video.ffmpeg import QUIET, poster_frame, run_ffmpeg
from providers.video.local.motion import camera_path
from providers.video.local.overlays import Overlay, caption_overlay, hook_overlay
from providers.vision.measure import open_image

FPS = 30
# The canvas is larger than the frame so zoompan's whole-pixel steps are small on screen (smoother motion)
# and every zoom still scales down, never up.
CANVAS_SCALE = 1.5
FADE_IN_SECONDS = 0.4
FADE_OUT_SECONDS = 0.5
HOOK_SECONDS = 3.0
# A fixed thread count: x264's output depends on it, so "auto" would make bytes differ between machines.
ENCODER_THREADS = "2"


@dataclass(frozen=True)
class RenderSettings:
    scale: float = 1.0  # Fraction of the platform size (tests and previews render small)
    preset: str = "veryfast"
    crf: int = 21
    max_image_pixels: int = 40_000_000


@dataclass(frozen=True)
class RenderOutput:
    video: bytes
    poster: bytes
    width: int
    height: int
    duration_seconds: float


def frame_size(aspect_ratio: str, scale: float = 1.0) -> tuple[int, int]:
    """The output size for an aspect ratio, scaled, with even sides (4:2:0 needs them)."""
    width, height = ASPECT_SIZES[aspect_ratio]
    return max(2, round(width * scale / 2) * 2), max(2, round(height * scale / 2) * 2)


def prepare_canvas(image: bytes, width: int, height: int, max_pixels: int) -> bytes:
    """The image upright, in RGB, cover-cropped to ``CANVAS_SCALE`` times the frame, as a fast PNG."""
    try:
        picture = open_image(image, max_pixels)
    except ValueError as exc:
        raise PermanentProviderError(f"video source is not a readable image: {exc}") from exc
    picture = ImageOps.exif_transpose(picture).convert("RGB")
    canvas_size = (round(width * CANVAS_SCALE / 2) * 2, round(height * CANVAS_SCALE / 2) * 2)
    canvas = ImageOps.fit(picture, canvas_size, method=Image.Resampling.LANCZOS, centering=(0.5, 0.5))
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def _overlay_chain(base: str, overlays: list[tuple[Overlay, str, str]], first_input: int) -> tuple[list[str], str]:
    """``overlay`` filters laying each PNG over the picture; each slides in and shows within its window."""
    parts: list[str] = []
    label = base
    for index, (overlay, start, end) in enumerate(overlays):
        out = f"ov{index}"
        slide = f"{overlay.y}+{max(8, overlay.height // 3)}*max(0,1-(t-{start})/0.35)"
        enable = f"between(t,{start},{end})"
        parts.append(f"[{label}][{first_input + index}:v]overlay=x={overlay.x}:y='{slide}':enable='{enable}'[{out}]")
        label = out
    return parts, label


def build_command(
    request: VideoRequest, width: int, height: int, overlays: list[Overlay | None], settings: RenderSettings
) -> list[str]:
    """The ffmpeg arguments, reading ``canvas.png`` and ``overlay<i>.png`` from the working directory."""
    duration = request.duration_seconds
    frames = duration * FPS
    path = camera_path(request.motion, request.pace, request.seed, frames)
    hook, caption = overlays
    windows: list[tuple[Overlay, str, str]] = []
    hook_end = min(HOOK_SECONDS, duration / 2)
    if hook is not None:
        windows.append((hook, "0", f"{hook_end:g}"))
    if caption is not None:
        windows.append((caption, f"{hook_end if hook is not None else 0.3:g}", f"{duration}"))
    graph = [
        f"[0:v]format=yuv420p,zoompan=z='{path.zoom}':x='{path.x}':y='{path.y}'"
        f":d={frames}:s={width}x{height}:fps={FPS},setsar=1[base]"
    ]
    chain, label = _overlay_chain("base", windows, first_input=2)
    graph += chain
    fade_out = duration - FADE_OUT_SECONDS
    graph.append(
        f"[{label}]fade=t=in:st=0:d={FADE_IN_SECONDS},fade=t=out:st={fade_out:g}:d={FADE_OUT_SECONDS},format=yuv420p[v]"
    )
    args = [*QUIET, "-y", "-i", "canvas.png", "-f", "lavfi", "-i", "anullsrc=r=48000:cl=stereo"]
    for index, _ in enumerate(windows):
        args += ["-i", f"overlay{index}.png"]
    args += ["-filter_complex", ";".join(graph), "-map", "[v]", "-map", "1:a", "-t", str(duration)]
    args += ["-c:v", "libx264", "-preset", settings.preset, "-crf", str(settings.crf), "-profile:v", "high"]
    args += ["-pix_fmt", "yuv420p", "-r", str(FPS), "-threads", ENCODER_THREADS, "-g", str(2 * FPS)]
    args += ["-c:a", "aac", "-b:a", "64k", "-ar", "48000"]
    args += ["-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact", "-map_metadata", "-1"]
    args += ["-movflags", "+faststart", "out.mp4"]
    return args


async def render(request: VideoRequest, workdir: Path, settings: RenderSettings) -> RenderOutput:
    """Render ``request`` using ``workdir`` as scratch space (the caller owns and removes it)."""
    width, height = frame_size(request.aspect_ratio, settings.scale)
    canvas = await asyncio.to_thread(prepare_canvas, request.image, width, height, settings.max_image_pixels)
    (workdir / "canvas.png").write_bytes(canvas)
    hook = hook_overlay(request.hook_text, width, height) if request.hook_text else None
    caption = caption_overlay(request.caption_text, width, height) if request.caption_text else None
    for index, overlay in enumerate(item for item in (hook, caption) if item is not None):
        (workdir / f"overlay{index}.png").write_bytes(overlay.png)
    await run_ffmpeg(build_command(request, width, height, [hook, caption], settings), cwd=workdir)
    video = (workdir / "out.mp4").read_bytes()
    # One second in: past the fade-in, and showing the hook when there is one.
    poster = await poster_frame(video, at_seconds=min(1.0, request.duration_seconds / 3))
    return RenderOutput(video, poster, width, height, float(request.duration_seconds))
