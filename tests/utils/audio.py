"""Voice-like audio made in the test: a harmonic buzz (a glottal-pulse-like sum of harmonics) at a chosen
pitch, cut into syllables with short pauses, written as 16-bit WAV with the stdlib ``wave`` module and
transcoded by the bundled ffmpeg where a test needs mp3 or ogg."""

from __future__ import annotations

import io
import math
import struct
import subprocess
import tempfile
import wave
from pathlib import Path

import imageio_ffmpeg


def buzz_wav(seconds: float, pitch_hz: float, *, rate: int = 16_000, harmonics: int = 8, gain: float = 0.3) -> bytes:
    """``seconds`` of voiced buzz at ``pitch_hz``: 0.25 s syllables, each followed by 0.05 s of silence."""
    frames = bytearray()
    for n in range(int(seconds * rate)):
        t = n / rate
        voiced = (t % 0.3) < 0.25
        value = 0.0
        if voiced:
            value = sum(math.sin(2 * math.pi * pitch_hz * k * t) / k for k in range(1, harmonics + 1))
        frames += struct.pack("<h", int(max(-1.0, min(1.0, gain * value / 2)) * 32767))
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(bytes(frames))
    return out.getvalue()


def silence_wav(seconds: float, *, rate: int = 8_000) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(b"\x00\x00" * int(seconds * rate))
    return out.getvalue()


def transcode(wav: bytes, extension: str) -> bytes:
    """The same audio as mp3, ogg, m4a or webm, by the ffmpeg that imageio-ffmpeg ships."""
    with tempfile.TemporaryDirectory() as scratch:
        source, target = Path(scratch) / "in.wav", Path(scratch) / f"out.{extension}"
        source.write_bytes(wav)
        subprocess.run(
            [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-i", str(source),
             "-vn", str(target)],
            check=True, stdin=subprocess.DEVNULL,
        )  # fmt: skip
        return target.read_bytes()
