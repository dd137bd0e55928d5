"""A character's spoken voice end to end: three synthesised samples (20 s, 10 s, 10 s at three pitches; one
uploaded as WAV, one as MP3, one fetched by URL as OGG) are listed with their measured durations and pitch,
the clone goes ``cloning`` → ``ready``, and deleting one drops it to ``insufficient_samples``. Bad audio,
oversize, too long and a private-address URL are each refused with their reason, leaving nothing behind."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from sqlalchemy import select

from api.app import create_app
from store.models import WebhookEvent
from tests.providers.wire_servers import Reply, WireServer, png_bytes
from tests.utils.audio import buzz_wav, silence_wav, transcode
from tests.utils.factories import Tenant, create_influencer
from tests.utils.servers import free_port, serve_in_thread
from tests.utils.stack import Stack


async def _profile(http: httpx.AsyncClient, tenant: Tenant, character_id: str) -> dict[str, Any]:
    response = await http.get(f"/api/v1/characters/{character_id}/voice-profile", headers=tenant.headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def _wait_for_clone(
    http: httpx.AsyncClient, tenant: Tenant, character_id: str, status: str, timeout: float = 60.0
) -> dict[str, Any]:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        profile = await _profile(http, tenant, character_id)
        if profile["clone"]["status"] == status:
            return profile
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"clone still {profile['clone']} after {timeout}s")
        await asyncio.sleep(0.25)


async def test_three_samples_clone_a_voice_and_removing_one_leaves_too_little(
    http: httpx.AsyncClient, tenant: Tenant
) -> None:
    character = await create_influencer(http, tenant)
    base = f"/api/v1/characters/{character['id']}/voice-samples"
    assert (await _profile(http, tenant, character["id"]))["clone"]["status"] == "none"

    first = await http.post(base, files={"file": ("a.wav", buzz_wav(20.0, 110.0), "audio/wav")}, headers=tenant.headers)
    assert first.status_code == 201, first.text
    assert first.json()["clone"]["status"] == "insufficient_samples"  # 20 s of the 30 s a clone needs

    second = await http.post(
        base, files={"file": ("b.mp3", transcode(buzz_wav(10.0, 165.0), "mp3"), "audio/mpeg")}, headers=tenant.headers
    )
    assert second.status_code == 201, second.text
    assert second.json()["clone"]["status"] in ("cloning", "ready")

    ogg = transcode(buzz_wav(10.0, 220.0), "ogg")
    with WireServer(lambda request: Reply(200, ogg, {"Content-Type": "audio/ogg"})) as server:
        third = await http.post(base, json={"url": f"{server.base_url}/voice.ogg"}, headers=tenant.headers)
    assert third.status_code == 201, third.text

    profile = await _wait_for_clone(http, tenant, character["id"], "ready")
    samples = profile["samples"]
    assert [s["format"] for s in samples] == ["wav", "mp3", "ogg"]
    assert [round(s["durationSeconds"]) for s in samples] == [20, 10, 10]
    assert all(s["id"].startswith("vs_") and s["sampleRate"] > 0 and s["addedAt"] for s in samples)
    pitches = [s["traits"]["medianPitchHz"] for s in samples]
    for measured, made in zip(pitches, (110.0, 165.0, 220.0), strict=True):
        assert measured == pytest.approx(made, rel=0.04)
    assert profile["totalDurationSeconds"] == pytest.approx(40.0, abs=0.3)
    assert profile["traits"]["pitchLowHz"] < 115 and profile["traits"]["pitchHighHz"] > 210
    assert 0.5 < profile["traits"]["voicedShare"] < 0.95
    assert profile["clone"]["provider"] == "local" and profile["clone"]["voiceId"].startswith("local_")
    stored = await http.get(samples[0]["url"])
    assert stored.status_code == 200 and stored.content[:4] == b"RIFF"

    removed = await http.delete(f"{base}/{quote(samples[0]['url'], safe='')}", headers=tenant.headers)
    assert removed.status_code == 204, removed.text
    after = await _wait_for_clone(http, tenant, character["id"], "insufficient_samples")
    assert [s["id"] for s in after["samples"]] == [samples[1]["id"], samples[2]["id"]]
    assert after["totalDurationSeconds"] == pytest.approx(20.0, abs=0.3)
    assert (await http.get(samples[0]["url"])).status_code == 404  # the stored audio went with it

    by_id = await http.delete(f"{base}/{samples[1]['id']}", headers=tenant.headers)
    assert by_id.status_code == 204
    missing = await http.delete(f"{base}/{samples[1]['id']}", headers=tenant.headers)
    assert missing.status_code == 404
    assert [s["id"] for s in (await _profile(http, tenant, character["id"]))["samples"]] == [samples[2]["id"]]


async def test_bad_audio_is_refused_with_its_reason_and_leaves_nothing(http: httpx.AsyncClient, tenant: Tenant) -> None:
    character = await create_influencer(http, tenant)
    base = f"/api/v1/characters/{character['id']}/voice-samples"
    cases = [
        (("pic.png", png_bytes(32, 32), "image/png"), 415, "unsupported_media_type"),
        (("long.wav", silence_wav(301.0), "audio/wav"), 422, "validation_error"),
        (("short.wav", buzz_wav(1.0, 150.0), "audio/wav"), 422, "validation_error"),
        (("huge.wav", b"RIFF" + b"\0" * (20 * 1024 * 1024), "audio/wav"), 413, "payload_too_large"),
    ]
    for upload, status, code in cases:
        response = await http.post(base, files={"file": upload}, headers=tenant.headers)
        assert response.status_code == status, response.text
        error = response.json()["error"]
        assert error["code"] == code
        assert error["details"][0]["field"] == "file"
    too_long = await http.post(base, files={"file": cases[1][0]}, headers=tenant.headers)
    assert "5 min" in too_long.json()["error"]["message"]
    profile = await _profile(http, tenant, character["id"])
    assert profile["samples"] == [] and profile["clone"]["status"] == "none"
    no_file = await http.post(base, files={"other": ("a.wav", b"x", "audio/wav")}, headers=tenant.headers)
    assert no_file.status_code == 422 and no_file.json()["error"]["details"][0]["field"] == "file"


async def test_a_private_address_url_is_refused(stack: Stack, http: httpx.AsyncClient, tenant: Tenant) -> None:
    """The test stack allows private URLs for its local servers; an app with the production default must not."""
    character = await create_influencer(http, tenant)
    wav = buzz_wav(5.0, 150.0)
    with WireServer(lambda request: Reply(200, wav, {"Content-Type": "audio/wav"})) as server:
        production = create_app(stack.settings.model_copy(update={"allow_private_urls": False}))
        with serve_in_thread(production, free_port()) as base_url:
            async with httpx.AsyncClient(base_url=base_url, timeout=30) as strict:
                response = await strict.post(
                    f"/api/v1/characters/{character['id']}/voice-samples",
                    json={"url": f"{server.base_url}/voice.wav"},
                    headers=tenant.headers,
                )
        assert server.requests == []  # refused before any connection was made
    assert response.status_code == 422, response.text
    assert response.json()["error"]["message"] == "url: could not fetch the URL"
    assert (await _profile(http, tenant, character["id"]))["samples"] == []


async def test_another_accounts_character_is_404(http: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant) -> None:
    character = await create_influencer(http, tenant)
    response = await http.get(f"/api/v1/characters/{character['id']}/voice-profile", headers=other_tenant.headers)
    assert response.status_code == 404


async def test_a_ready_clone_records_one_voice_clone_ready_event(
    stack: Stack, http: httpx.AsyncClient, tenant: Tenant
) -> None:
    character = await create_influencer(http, tenant)
    base = f"/api/v1/characters/{character['id']}/voice-samples"
    added = await http.post(base, files={"file": ("a.wav", buzz_wav(35.0, 140.0), "audio/wav")}, headers=tenant.headers)
    assert added.status_code == 201, added.text
    profile = await _wait_for_clone(http, tenant, character["id"], "ready")
    async with stack.sessions() as session:
        events = (
            await session.scalars(
                select(WebhookEvent).where(
                    WebhookEvent.account_id == tenant.account_id, WebhookEvent.type == "voice.clone.ready"
                )
            )
        ).all()
    assert len(events) == 1
    assert events[0].data["characterId"] == character["id"]
    assert events[0].data["voiceId"] == profile["clone"]["voiceId"]
