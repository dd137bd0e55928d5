"""Audio a caller gives us, decoded with the ``ffmpeg`` that ``imageio-ffmpeg`` ships: its container and
sample rate read from ffmpeg's own report, its samples decoded to 16 kHz mono, and its voice measured from
those samples (median pitch and its range, loudness, share of voiced frames).

Shared by the API (which checks an upload before it stores it, as it re-encodes images) and by the local
voice provider, so a sample is measured one way wherever it is measured."""

from __future__ import annotations

import asyncio
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.errors import PayloadTooLarge, UnsupportedMediaType, ValidationFailed
from domain.voice import AUDIO_FORMATS, MAX_SAMPLE_BYTES, MAX_SAMPLE_SECONDS, MIN_SAMPLE_SECONDS
from providers.video.ffmpeg import ffmpeg_exe

ANALYSIS_RATE = 16_000
_FRAME = 640  # 40 ms at 16 kHz: two periods of the lowest pitch we look for
_HOP = 320
_MIN_PITCH, _MAX_PITCH = 60.0, 500.0
_INPUT = re.compile(r"Input #0, (.+?), from ")
_AUDIO = re.compile(r"Stream #0:\d+.*?: Audio: [^\n]*?(\d+) Hz")


@dataclass(frozen=True)
class VoiceTraits:
    median_pitch_hz: float | None
    pitch_low_hz: float | None
    pitch_high_hz: float | None
    loudness_dbfs: float
    voiced_share: float

    def as_dict(self) -> dict[str, float | None]:
        return {
            "medianPitchHz": self.median_pitch_hz,
            "pitchLowHz": self.pitch_low_hz,
            "pitchHighHz": self.pitch_high_hz,
            "loudnessDbfs": self.loudness_dbfs,
            "voicedShare": self.voiced_share,
        }


@dataclass(frozen=True)
class DecodedAudio:
    format: str
    sample_rate: int
    duration_seconds: float
    samples: np.ndarray  # float32 mono at ANALYSIS_RATE, -1..1


async def decode_audio(data: bytes, field: str = "file") -> DecodedAudio:
    """Decode ``data`` or refuse it: 413 over 20 MB, 415 for what ffmpeg does not read as one of our audio
    formats, 422 for audio without sound we can use (no audio stream, shorter than 3 s, longer than 5 min)."""
    if len(data) > MAX_SAMPLE_BYTES:
        raise PayloadTooLarge(
            f"{field}: audio is {len(data)} bytes; the limit is {MAX_SAMPLE_BYTES}",
            details=[{"field": field, "message": "too large"}],
        )
    with tempfile.TemporaryDirectory(prefix="ap-audio-") as scratch:
        directory = Path(scratch)
        (directory / "in").write_bytes(data)
        process = await asyncio.create_subprocess_exec(
            ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", "in", "-vn", "-map", "0:a:0", "-ac", "1",
            "-ar", str(ANALYSIS_RATE), "-f", "s16le", "-t", str(MAX_SAMPLE_SECONDS + 1), "out.pcm",
            cwd=directory, stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        _, err = await process.communicate()
        report = err.decode("utf-8", "replace")
        demuxer = _INPUT.search(report)
        audio_format = AUDIO_FORMATS.get(demuxer.group(1)) if demuxer else None
        if audio_format is None:
            found = demuxer.group(1) if demuxer else "unknown"
            raise UnsupportedMediaType(
                f"{field}: not audio we accept (wav, mp3, m4a, ogg, webm)",
                details=[{"field": field, "message": f"unsupported format {found}"}],
            )
        rate = _AUDIO.search(report)
        pcm = directory / "out.pcm"
        if process.returncode != 0 or rate is None or not pcm.exists():
            raise ValidationFailed(
                f"{field}: has no decodable audio stream", details=[{"field": field, "message": "no audio"}]
            )
        samples = np.frombuffer(pcm.read_bytes(), dtype="<i2").astype(np.float32) / 32768.0
    duration = round(len(samples) / ANALYSIS_RATE, 3)
    if duration < MIN_SAMPLE_SECONDS or duration > MAX_SAMPLE_SECONDS:
        raise ValidationFailed(
            f"{field}: audio lasts {duration:.1f} s; samples must last {MIN_SAMPLE_SECONDS:.0f} s to "
            f"{MAX_SAMPLE_SECONDS / 60:.0f} min",
            details=[{"field": field, "message": "too short" if duration < MIN_SAMPLE_SECONDS else "too long"}],
        )
    return DecodedAudio(audio_format, int(rate.group(1)), duration, samples)


def _frames(samples: np.ndarray) -> np.ndarray:
    count = max(0, 1 + (len(samples) - _FRAME) // _HOP)
    index = np.arange(_FRAME)[None, :] + _HOP * np.arange(count)[:, None]
    return samples[index] if count else np.zeros((0, _FRAME), dtype=np.float32)


def _frame_pitches(frames: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per frame: the pitch by autocorrelation (parabolic peak) and how periodic the frame is (0-1)."""
    centred = frames - frames.mean(axis=1, keepdims=True)
    spectrum = np.fft.rfft(centred * np.hanning(_FRAME), n=2 * _FRAME, axis=1)
    acf = np.fft.irfft(np.abs(spectrum) ** 2, axis=1)[:, :_FRAME]
    lo, hi = int(ANALYSIS_RATE / _MAX_PITCH), int(ANALYSIS_RATE / _MIN_PITCH)
    window = acf[:, lo : hi + 1]
    peak = np.argmax(window, axis=1)
    rows = np.arange(len(frames))
    lag = (peak + lo).astype(np.float64)
    inner = (peak > 0) & (peak < window.shape[1] - 1)
    left = window[rows, np.clip(peak - 1, 0, None)]
    mid = window[rows, peak]
    right = window[rows, np.clip(peak + 1, None, window.shape[1] - 1)]
    denominator = left - 2 * mid + right
    shift = np.where(inner & (denominator != 0), 0.5 * (left - right) / np.where(denominator == 0, 1, denominator), 0)
    periodicity = mid / np.maximum(acf[:, 0], 1e-12)
    return ANALYSIS_RATE / (lag + shift), periodicity


def measure_traits(samples: np.ndarray) -> VoiceTraits:
    """Voiced frames are loud enough (within 30 dB of the loudest) and periodic; pitch is read from them."""
    frames = _frames(samples)
    rms = np.sqrt(np.mean(frames.astype(np.float64) ** 2, axis=1)) if len(frames) else np.zeros(0)
    overall = float(np.sqrt(np.mean(samples.astype(np.float64) ** 2))) if len(samples) else 0.0
    loudness = round(20 * np.log10(max(overall, 1e-6)), 1)
    if not len(frames) or float(rms.max()) <= 1e-4:
        return VoiceTraits(None, None, None, loudness, 0.0)
    pitches, periodicity = _frame_pitches(frames)
    voiced = (rms > float(rms.max()) * 10 ** (-30 / 20)) & (periodicity > 0.5)
    share = round(float(voiced.mean()), 3)
    if not voiced.any():
        return VoiceTraits(None, None, None, loudness, share)
    found = pitches[voiced]
    low, median, high = (round(float(v), 1) for v in np.percentile(found, [10, 50, 90]))
    return VoiceTraits(median, low, high, loudness, share)


def pool_traits(weighted: list[tuple[float, dict[str, float | None]]]) -> dict[str, float | None]:
    """One character's traits from its samples', weighted by each sample's duration."""
    total = sum(seconds for seconds, _ in weighted)
    pooled: dict[str, float | None] = {}
    for key in ("medianPitchHz", "pitchLowHz", "pitchHighHz", "loudnessDbfs", "voicedShare"):
        pairs = [(s, t[key]) for s, t in weighted if t.get(key) is not None]
        weight = sum(s for s, _ in pairs)
        value = sum(s * float(v) for s, v in pairs if v is not None) / weight if pairs and weight else None
        pooled[key] = round(value, 3 if key == "voicedShare" else 1) if value is not None else None
    if weighted:
        lows = [t["pitchLowHz"] for _, t in weighted if t.get("pitchLowHz") is not None]
        highs = [t["pitchHighHz"] for _, t in weighted if t.get("pitchHighHz") is not None]
        pooled["pitchLowHz"] = min(lows) if lows else None  # type: ignore[type-var]
        pooled["pitchHighHz"] = max(highs) if highs else None  # type: ignore[type-var]
    pooled["totalSeconds"] = round(total, 3)
    return pooled
