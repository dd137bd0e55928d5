"""The voice providers: the ElevenLabs-format cloning adapter against a local wire-format server, errors
included, and the local provider's fingerprint of real (synthesised) audio."""

from __future__ import annotations

import pytest

from core.errors import PermanentProviderError, ProviderAuthError, TransientProviderError
from providers.voice.base import CloneRequest, VoiceAudio
from providers.voice.elevenlabs import ElevenLabsVoiceProvider
from providers.voice.local.provider import LocalVoiceProvider
from tests.providers.voice.wire_elevenlabs import ElevenLabsFake
from tests.providers.wire_servers import Reply
from tests.utils.audio import buzz_wav, transcode


def _request(*pitches: float, seconds: float = 4.0) -> CloneRequest:
    return CloneRequest(
        name="Mia (inf_1)",
        samples=[
            VoiceAudio(sample_id=f"vs_{i}", data=buzz_wav(seconds, p), filename=f"vs_{i}.wav", content_type="audio/wav")
            for i, p in enumerate(pitches)
        ],
    )


class TestElevenLabsWire:
    async def test_clone_uploads_every_sample_and_answers_the_voice_id(self) -> None:
        fake = ElevenLabsFake()
        with fake.server:
            provider = ElevenLabsVoiceProvider(base_url=fake.server.base_url, api_key="xi-test")
            request = _request(120.0, 130.0)
            voice = await provider.clone(request)
            await provider.aclose()
        assert voice.voice_id == "vo_1"
        assert fake.voices["vo_1"]["name"] == "Mia (inf_1)"
        assert fake.voices["vo_1"]["files"] == ["vs_0.wav", "vs_1.wav"]
        assert fake.voices["vo_1"]["sizes"] == [len(s.data) for s in request.samples]
        (sent,) = fake.server.requests_to("POST", "/v1/voices/add")
        assert sent.headers["content-type"].startswith("multipart/form-data")

    async def test_delete_forgets_the_voice_and_a_missing_voice_is_not_an_error(self) -> None:
        fake = ElevenLabsFake()
        with fake.server:
            provider = ElevenLabsVoiceProvider(base_url=fake.server.base_url, api_key="xi-test")
            voice = await provider.clone(_request(150.0))
            await provider.delete(voice.voice_id)
            assert fake.voices == {}
            await provider.delete(voice.voice_id)  # 404 from the server: already gone
            assert [r.method for r in fake.server.requests] == ["POST", "DELETE", "DELETE"]
            await provider.aclose()

    async def test_a_wrong_key_is_an_auth_error(self) -> None:
        fake = ElevenLabsFake()
        with fake.server:
            provider = ElevenLabsVoiceProvider(base_url=fake.server.base_url, api_key="wrong")
            with pytest.raises(ProviderAuthError) as refused:
                await provider.clone(_request(150.0))
            await provider.aclose()
        assert "Invalid API key" in refused.value.message

    async def test_rate_limits_and_server_errors_are_retryable_with_the_servers_delay(self) -> None:
        fake = ElevenLabsFake()
        fake.queue = [
            Reply.of_json({"detail": {"status": "too_many_concurrent_requests", "message": "slow down"}}, status=429,
                          headers={"Retry-After": "7"}),
            Reply.of_json({"detail": {"status": "internal", "message": "oops"}}, status=500),
        ]  # fmt: skip
        with fake.server:
            provider = ElevenLabsVoiceProvider(base_url=fake.server.base_url, api_key="xi-test")
            with pytest.raises(TransientProviderError) as limited:
                await provider.clone(_request(150.0))
            with pytest.raises(TransientProviderError) as failed:
                await provider.delete("vo_9")
            assert (await provider.clone(_request(150.0))).voice_id == "vo_1"  # the third try goes through
            await provider.aclose()
        assert limited.value.retry_after == pytest.approx(7.0)
        assert failed.value.status == 500

    async def test_audio_the_service_refuses_is_permanent_with_its_reason(self) -> None:
        fake = ElevenLabsFake()
        junk = VoiceAudio(sample_id="vs_0", data=b"not audio", filename="a.wav", content_type="audio/wav")
        bad = CloneRequest(name="x", samples=[junk])
        with fake.server:
            provider = ElevenLabsVoiceProvider(base_url=fake.server.base_url, api_key="xi-test")
            with pytest.raises(PermanentProviderError) as refused:
                await provider.clone(bad)
            fake.queue = [Reply.of_json({"requires_verification": False})]
            with pytest.raises(PermanentProviderError, match="without a voice_id"):
                await provider.clone(_request(150.0))
            await provider.aclose()
        assert refused.value.status == 400
        assert "not a supported audio file" in refused.value.message


class TestLocalVoice:
    async def test_the_fingerprint_is_measured_from_the_samples_weighted_by_duration(self) -> None:
        request = CloneRequest(
            name="Mia",
            samples=[
                VoiceAudio(sample_id="vs_a", data=buzz_wav(6.0, 120.0), filename="a.wav", content_type="audio/wav"),
                VoiceAudio(sample_id="vs_b", data=transcode(buzz_wav(3.0, 240.0), "mp3"), filename="b.mp3",
                           content_type="audio/mpeg"),
            ],
        )  # fmt: skip
        voice = await LocalVoiceProvider().clone(request)
        pitch = voice.fingerprint["medianPitchHz"]
        assert pitch is not None and 150 < pitch < 170  # (6 x 120 + 3 x 240) / 9 = 160
        assert voice.fingerprint["pitchLowHz"] is not None and voice.fingerprint["pitchLowHz"] < 125
        assert voice.fingerprint["pitchHighHz"] is not None and voice.fingerprint["pitchHighHz"] > 230
        assert voice.fingerprint["totalSeconds"] == pytest.approx(9.0, abs=0.1)

    async def test_the_same_samples_give_the_same_voice_and_others_another(self) -> None:
        provider = LocalVoiceProvider()
        first = await provider.clone(_request(120.0, 200.0))
        again = await provider.clone(CloneRequest(name="Mia", samples=list(reversed(_request(120.0, 200.0).samples))))
        other = await provider.clone(_request(120.0, 210.0))
        assert first.voice_id == again.voice_id
        assert first.voice_id != other.voice_id
