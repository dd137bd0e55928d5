"""A real, tiny MP4 (H.264 + AAC) made by the ffmpeg that ships in the ``imageio-ffmpeg`` wheel, for tests
that store, serve or publish a video. Cached per arguments: encoding takes a moment and the bytes do not
change within a run."""

from __future__ import annotations

import functools
import subprocess
import tempfile
from pathlib import Path

import imageio_ffmpeg


@functools.cache
def tiny_mp4(color: str = "red", size: str = "64x64", seconds: float = 1.0) -> bytes:
    """A ``seconds``-long clip of one ``color`` with a silent audio track, ``+faststart`` so the index
    comes first as it does in files made for streaming."""
    with tempfile.TemporaryDirectory() as directory:
        out = Path(directory) / "clip.mp4"
        subprocess.run(
            [
                imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y",
                "-f", "lavfi", "-i", f"color=c={color}:s={size}:d={seconds}",
                "-f", "lavfi", "-i", "anullsrc=channel_layout=stereo:sample_rate=44100",
                "-shortest", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac",
                "-movflags", "+faststart", str(out),
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )
        return out.read_bytes()
