"""Speed of the embedded video renderer: ``python -m bench.bench_video [--seconds 6] [--runs 2]``.

Renders a 9:16 (1080x1920) clip with a hook and a caption from a locally generated image, and prints the
wall-clock seconds spent per second of video. Beside it, measured in the same run on the same machine, the
anchor: the same ffmpeg encoding a plain colour source of the same size and length with the same encoder
settings, i.e. what encoding alone costs here. A figure to watch, not a test: nothing asserts a speed.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import tempfile
import time
from pathlib import Path

from providers.images.base import ImageRequest
from providers.images.local.provider import LocalImageProvider
from providers.video.base import VideoRequest
from providers.video.ffmpeg import QUIET, run_ffmpeg
from providers.video.local.provider import LocalVideoProvider
from providers.video.local.render import ENCODER_THREADS, FPS


async def _anchor(seconds: int) -> float:
    """Encode a plain colour source, 1080x1920 at 30 fps, with the renderer's encoder settings."""
    with tempfile.TemporaryDirectory() as scratch:
        args = [*QUIET, "-y", "-f", "lavfi", "-i", f"color=c=0x406080:s=1080x1920:r={FPS}:d={seconds}"]
        args += ["-f", "lavfi", "-i", "anullsrc=r=48000:cl=stereo", "-t", str(seconds)]
        args += ["-c:v", "libx264", "-preset", "veryfast", "-crf", "21", "-pix_fmt", "yuv420p"]
        args += ["-threads", ENCODER_THREADS, "-c:a", "aac", "-b:a", "64k", "-movflags", "+faststart", "a.mp4"]
        started = time.perf_counter()
        await run_ffmpeg(args, cwd=Path(scratch))
        return time.perf_counter() - started


async def run(seconds: int, runs: int) -> None:
    image = await LocalImageProvider().generate(ImageRequest(prompt="woman at a cafe window, morning", seed=4))
    cache = Path(tempfile.mkdtemp(prefix="bench-video-"))
    try:
        provider = LocalVideoProvider(cache)
        for motion in ("zoom_in", "orbit"):
            walls: list[float] = []
            for index in range(runs):
                request = VideoRequest(
                    key=f"bench-{motion}-{index}",
                    image=image.data,
                    duration_seconds=seconds,
                    motion=motion,
                    hook_text="Three things nobody tells you about slow mornings",
                    caption_text="Golden light, slow Sunday. #coffee #morning",
                )
                started = time.perf_counter()
                await provider.download(await provider.start(request))
                walls.append(time.perf_counter() - started)
            best = min(walls)
            print(
                f"local renderer 9:16 1080x1920, {seconds}s, {motion:8s}: best {best:.2f}s wall of {runs} runs, "
                f"{best / seconds:.2f} s per second of video"
            )
        anchor = min([await _anchor(seconds) for _ in range(runs)])
        print(
            f"anchor: ffmpeg encoding a plain colour source 1080x1920, {seconds}s: {anchor:.2f}s wall, "
            f"{anchor / seconds:.2f} s per second of video"
        )
    finally:
        shutil.rmtree(cache, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=6)
    parser.add_argument("--runs", type=int, default=2)
    options = parser.parse_args()
    asyncio.run(run(options.seconds, options.runs))


if __name__ == "__main__":
    main()
