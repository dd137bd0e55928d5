"""The ``ffmpeg`` binary that ``imageio-ffmpeg`` ships, run as an async subprocess: one place that finds it,
runs it in a scratch directory and turns a failure into a typed provider error.

We rely on the bundled binary rather than a system one so every deployment renders with the same encoder
build, which is what makes the local renderer's bytes reproducible."""

from __future__ import annotations

import asyncio
import functools
import tempfile
from collections.abc import Sequence
from pathlib import Path

import imageio_ffmpeg

from core.errors import PermanentProviderError

# Flags that keep encoder and muxer versions, dates and random ids out of the output, so the same input gives
# the same bytes. ``-nostdin`` keeps a subprocess from ever waiting on our terminal.
QUIET = ("-hide_banner", "-nostdin", "-loglevel", "error")


@functools.lru_cache(maxsize=1)
def ffmpeg_exe() -> str:
    return str(imageio_ffmpeg.get_ffmpeg_exe())


class FfmpegFailed(PermanentProviderError):
    """ffmpeg exited non-zero: the input or the filter graph is wrong, so the same call fails again."""

    type_name = "PermanentProviderError"


async def run_ffmpeg(args: Sequence[str], *, cwd: Path | None = None, check: bool = True) -> tuple[int, str]:
    """Run ffmpeg with ``args``; return its exit code and stderr (where it writes everything it reports).
    A cancelled caller kills the process, so an abandoned render stops using the CPU."""
    process = await asyncio.create_subprocess_exec(
        ffmpeg_exe(),
        *args,
        cwd=cwd,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        _, stderr_bytes = await process.communicate()
    except asyncio.CancelledError:
        if process.returncode is None:
            process.kill()
            await process.wait()
        raise
    stderr = stderr_bytes.decode("utf-8", "replace")
    code = process.returncode if process.returncode is not None else -1
    if check and code != 0:
        tail = " | ".join(stderr.strip().splitlines()[-3:])
        raise FfmpegFailed(f"ffmpeg exited with {code}: {tail[-400:]}")
    return code, stderr


async def poster_frame(video: bytes, *, at_seconds: float = 1.0) -> bytes:
    """A JPEG of the frame at ``at_seconds`` (clamped into the video), the same size as the video. Used for
    local renders and for MP4s downloaded from remote providers alike."""
    with tempfile.TemporaryDirectory(prefix="ap-poster-") as scratch:
        directory = Path(scratch)
        (directory / "in.mp4").write_bytes(video)
        args = [*QUIET, "-y", "-ss", f"{max(0.0, at_seconds):.3f}", "-i", "in.mp4", "-frames:v", "1"]
        args += ["-q:v", "3", "-fflags", "+bitexact", "-flags:v", "+bitexact", "-update", "1", "poster.jpg"]
        await run_ffmpeg(args, cwd=directory)
        poster = directory / "poster.jpg"
        if not poster.exists() or poster.stat().st_size == 0:
            # Seeking past the last frame writes nothing: take the first frame instead.
            await run_ffmpeg([*QUIET, "-y", "-i", "in.mp4", "-frames:v", "1", "-q:v", "3", "poster.jpg"], cwd=directory)
        return poster.read_bytes()
