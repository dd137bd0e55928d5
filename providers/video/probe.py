"""Read an MP4's size, duration, codec and frame count with the bundled ffmpeg itself (there is no ffprobe in
``imageio-ffmpeg``): ``ffmpeg -i`` prints the stream header, and a stream copy to the null muxer counts the
frames without decoding them. Used by the providers to describe what they return and by tests to check MP4s.

``probe`` is the five-value answer most callers unpack; ``inspect``/``inspect_async`` give every detail."""

from __future__ import annotations

import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from providers.video.ffmpeg import ffmpeg_exe, run_ffmpeg

_DURATION = re.compile(r"Duration:\s*(\d+):(\d+):(\d+(?:\.\d+)?)")
_VIDEO = re.compile(r"Stream #\d+:\d+.*?: Video: (\w+)(.*)")
_AUDIO = re.compile(r"Stream #\d+:\d+.*?: Audio: (\w+)(.*)")
_SIZE = re.compile(r"\b(\d{2,5})x(\d{2,5})\b")
_FPS = re.compile(r"([\d.]+) fps")
_PIX_FMT = re.compile(r"\b(yuv\w+|rgb\w+|nv12|gray\w*)\b")
_FRAMES = re.compile(r"frame=\s*(\d+)")
_SAMPLE_RATE = re.compile(r"(\d+) Hz")

Source = bytes | str | Path


class VideoProbe(NamedTuple):
    width: int
    height: int
    duration_seconds: float
    codec: str
    frame_count: int


@dataclass(frozen=True)
class VideoInfo:
    width: int
    height: int
    duration_seconds: float
    codec: str
    frame_count: int
    fps: float
    pix_fmt: str | None
    audio_codec: str | None
    audio_sample_rate: int | None
    moov_before_mdat: bool | None

    def as_probe(self) -> VideoProbe:
        return VideoProbe(self.width, self.height, self.duration_seconds, self.codec, self.frame_count)


def _args(path: str) -> list[str]:
    # The stream copy to the null muxer prints ``frame=N`` at the end: the exact frame count, without decoding.
    return ["-hide_banner", "-nostdin", "-i", path, "-map", "0:v:0", "-c", "copy", "-f", "null", "-"]


def _moov_first(path: Path) -> bool | None:
    """Whether the MP4 index sits before the media data (``-movflags +faststart``): players can start before
    the whole file has arrived. ``None`` for files that are not plain MP4 boxes."""
    with path.open("rb") as handle:
        offset, order = 0, list[str]()
        while len(order) < 16:
            handle.seek(offset)
            header = handle.read(16)
            if len(header) < 8:
                break
            size = int.from_bytes(header[:4], "big")
            kind = header[4:8].decode("latin-1")
            if size == 1 and len(header) >= 16:
                size = int.from_bytes(header[8:16], "big")
            order.append(kind)
            if size < 8:
                break
            offset += size
    if "moov" not in order or "mdat" not in order:
        return None
    return order.index("moov") < order.index("mdat")


def parse(stderr: str) -> tuple[int, int, float, str, int, float, str | None, str | None, int | None]:
    """The stream header and frame count from ffmpeg's report; ``ValueError`` if there is no video stream."""
    video = _VIDEO.search(stderr)
    if video is None:
        raise ValueError("no video stream found")
    codec, details = video[1], video[2]
    size = _SIZE.search(details)
    if size is None:
        raise ValueError("video stream without a size")
    duration = _DURATION.search(stderr)
    seconds = int(duration[1]) * 3600 + int(duration[2]) * 60 + float(duration[3]) if duration else 0.0
    frames = _FRAMES.findall(stderr)
    fps = _FPS.search(details)
    pix_fmt = _PIX_FMT.search(details)
    audio = _AUDIO.search(stderr)
    rate = _SAMPLE_RATE.search(audio[2]) if audio else None
    return (
        int(size[1]),
        int(size[2]),
        seconds,
        codec,
        int(frames[-1]) if frames else 0,
        float(fps[1]) if fps else 0.0,
        pix_fmt[1] if pix_fmt else None,
        audio[1] if audio else None,
        int(rate[1]) if rate else None,
    )


def _info(stderr: str, path: Path) -> VideoInfo:
    width, height, seconds, codec, frames, fps, pix_fmt, audio, rate = parse(stderr)
    return VideoInfo(width, height, seconds, codec, frames, fps, pix_fmt, audio, rate, _moov_first(path))


class _Input:
    """A path to read: the caller's own, or a temporary copy of bytes."""

    def __init__(self, source: Source) -> None:
        self._scratch: tempfile.TemporaryDirectory[str] | None = None
        if isinstance(source, bytes):
            self._scratch = tempfile.TemporaryDirectory(prefix="ap-probe-")
            self.path = Path(self._scratch.name) / "in.mp4"
            self.path.write_bytes(source)
        else:
            self.path = Path(source)

    def __enter__(self) -> Path:
        return self.path

    def __exit__(self, *exc: object) -> None:
        if self._scratch is not None:
            self._scratch.cleanup()


def inspect(source: Source) -> VideoInfo:
    """Every detail of a video given as bytes or a path (blocking; for tests and scripts)."""
    with _Input(source) as path:
        completed = subprocess.run(
            [ffmpeg_exe(), *_args(str(path))], capture_output=True, check=False, stdin=subprocess.DEVNULL
        )
        return _info(completed.stderr.decode("utf-8", "replace"), path)


def probe(source: Source) -> VideoProbe:
    """``(width, height, duration_seconds, codec, frame_count)`` of a video given as bytes or a path."""
    return inspect(source).as_probe()


async def inspect_async(source: Source) -> VideoInfo:
    """``inspect`` without blocking the event loop (for providers)."""
    with _Input(source) as path:
        _, stderr = await run_ffmpeg(_args(str(path)), check=False)
        return _info(stderr, path)
