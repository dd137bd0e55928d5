"""Audio decoding and voice measures: real files made in the test, decoded by the bundled ffmpeg."""

from __future__ import annotations

import pytest

from core.errors import PayloadTooLarge, UnsupportedMediaType, ValidationFailed
from providers.voice.audio import decode_audio, measure_traits
from tests.providers.wire_servers import png_bytes
from tests.utils.audio import buzz_wav, silence_wav, transcode


@pytest.mark.parametrize("pitch", [110.0, 220.0])
async def test_pitch_duration_and_voicing_are_measured_from_a_wav(pitch: float) -> None:
    audio = await decode_audio(buzz_wav(6.0, pitch, rate=22_050))
    assert audio.format == "wav"
    assert audio.sample_rate == 22_050
    assert audio.duration_seconds == pytest.approx(6.0, abs=0.01)
    traits = measure_traits(audio.samples)
    assert traits.median_pitch_hz == pytest.approx(pitch, rel=0.03)
    assert traits.pitch_low_hz is not None and traits.pitch_high_hz is not None
    assert traits.median_pitch_hz is not None
    assert traits.pitch_low_hz <= traits.median_pitch_hz <= traits.pitch_high_hz
    # 0.25 s of every 0.3 s is voiced; frames straddling a pause count as unvoiced or voiced.
    assert 0.6 <= traits.voiced_share <= 0.9
    assert -30 < traits.loudness_dbfs < -5


@pytest.mark.parametrize(("extension", "name"), [("mp3", "mp3"), ("ogg", "ogg"), ("m4a", "m4a"), ("webm", "webm")])
async def test_compressed_formats_decode_to_the_same_voice(extension: str, name: str) -> None:
    audio = await decode_audio(transcode(buzz_wav(4.0, 180.0), extension))
    assert audio.format == name
    assert audio.duration_seconds == pytest.approx(4.0, abs=0.15)
    assert measure_traits(audio.samples).median_pitch_hz == pytest.approx(180.0, rel=0.03)


async def test_silence_has_no_pitch() -> None:
    traits = measure_traits((await decode_audio(silence_wav(4.0))).samples)
    assert traits.median_pitch_hz is None
    assert traits.voiced_share == 0.0


async def test_what_is_not_audio_is_415() -> None:
    for data in (png_bytes(16, 16), b"definitely not audio" * 100):
        with pytest.raises(UnsupportedMediaType) as refused:
            await decode_audio(data, "file")
        assert refused.value.details[0]["field"] == "file"


async def test_too_short_and_too_long_are_422_with_the_reason() -> None:
    with pytest.raises(ValidationFailed) as short:
        await decode_audio(buzz_wav(1.5, 150.0))
    assert short.value.details[0]["message"] == "too short"
    with pytest.raises(ValidationFailed) as long:
        await decode_audio(silence_wav(301.0))
    assert long.value.details[0]["message"] == "too long"
    assert "5 min" in long.value.message


async def test_more_than_20_mb_is_413_before_decoding() -> None:
    with pytest.raises(PayloadTooLarge):
        await decode_audio(b"\0" * (20 * 1024 * 1024 + 1))
