"""Voice activities against a real database and the ElevenLabs-format wire server: a superseded clone run's
voice is deleted instead of recorded, a new clone deletes the voice of the samples it replaces, and deleting
a character deletes its cloned voice at the provider."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any, cast

import pytest
from temporalio.client import Client
from temporalio.testing import ActivityEnvironment

from activities.cleanup import CleanupActivities
from activities.voice import VoiceActivities
from contracts.cleanup import InfluencerCleanupInput
from contracts.voice import ClonedVoiceRef, VoiceCloneInput, VoiceReadyInput
from domain.voice import CloneStatus
from providers.storage.local.provider import LocalMediaStorage
from providers.voice.elevenlabs import ElevenLabsVoiceProvider
from store.db import create_engine, create_session_factory, transaction
from store.models import Influencer, VoiceClone, VoiceSample
from tests.providers.voice.wire_elevenlabs import ElevenLabsFake
from tests.utils.audio import buzz_wav
from tests.utils.factories import make_tenant


@pytest.fixture
async def setup(database_url: str, tmp_path: Path) -> Any:
    engine = create_engine(database_url)
    sessions = create_session_factory(engine)
    tenant = await make_tenant(sessions)
    storage = LocalMediaStorage(tmp_path / "media", "http://127.0.0.1:9/media")
    influencer_id = f"inf_{uuid.uuid4().hex[:12]}"
    key = await storage.put(f"{tenant.account_id}/influencers/{influencer_id}/voice", buzz_wav(4.0, 140.0), "audio/wav")
    async with transaction(sessions) as session:
        session.add(Influencer(id=influencer_id, account_id=tenant.account_id, name="Mia"))
        await session.flush()
        session.add(
            VoiceSample(
                id=f"vs_{uuid.uuid4().hex[:12]}", account_id=tenant.account_id, influencer_id=influencer_id,
                storage_key=key, format="wav", sample_rate=16000, duration_seconds=40.0,
            )
        )  # fmt: skip
    fake = ElevenLabsFake()
    with fake.server:
        provider = ElevenLabsVoiceProvider(base_url=fake.server.base_url, api_key="xi-test")
        yield sessions, storage, tenant.account_id, influencer_id, fake, provider
        await provider.aclose()
    await engine.dispose()


def _change(account_id: str, influencer_id: str, revision: int) -> VoiceCloneInput:
    return VoiceCloneInput(account_id=account_id, influencer_id=influencer_id, revision=revision, clone=True)


async def _clone_row(sessions: Any, influencer_id: str, **fields: Any) -> None:
    async with transaction(sessions) as session:
        row = await session.get(VoiceClone, influencer_id)
        if row is None:
            row = VoiceClone(influencer_id=influencer_id, account_id=fields.pop("account_id"))
            session.add(row)
        for name, value in fields.items():
            setattr(row, name, value)


async def _row(sessions: Any, influencer_id: str) -> VoiceClone:
    async with transaction(sessions) as session:
        row = await session.get(VoiceClone, influencer_id)
        assert row is not None
        return row


async def test_a_superseded_runs_voice_is_deleted_not_recorded(setup: Any) -> None:
    sessions, storage, account_id, influencer_id, fake, provider = setup
    await _clone_row(sessions, influencer_id, account_id=account_id, status=CloneStatus.CLONING, revision=2)
    fake.voices["vo_old"] = {"name": "made by revision 1"}
    activities = VoiceActivities(sessions, provider, storage)
    late = VoiceReadyInput(
        account_id=account_id, influencer_id=influencer_id, revision=1,
        voice=ClonedVoiceRef(provider="elevenlabs", voice_id="vo_old"),
    )  # fmt: skip
    assert await ActivityEnvironment().run(activities.record_voice_ready, late) is False
    assert "vo_old" not in fake.voices
    row = await _row(sessions, influencer_id)
    assert row.status == CloneStatus.CLONING and row.voice_id is None

    cloned = await ActivityEnvironment().run(
        activities.clone_voice, _change(account_id, influencer_id, 2)
    )
    assert cloned is not None and cloned.voice_id in fake.voices
    current = VoiceReadyInput(account_id=account_id, influencer_id=influencer_id, revision=2, voice=cloned)
    assert await ActivityEnvironment().run(activities.record_voice_ready, current) is True
    row = await _row(sessions, influencer_id)
    assert (row.status, row.voice_id, row.provider) == (CloneStatus.READY, cloned.voice_id, "elevenlabs")


async def test_a_new_clone_deletes_the_voice_of_the_samples_it_replaces(setup: Any) -> None:
    sessions, storage, account_id, influencer_id, fake, provider = setup
    fake.voices["vo_before"] = {"name": "previous samples"}
    await _clone_row(
        sessions, influencer_id, account_id=account_id, status=CloneStatus.CLONING, revision=5,
        provider="elevenlabs", voice_id="vo_before",
    )  # fmt: skip
    activities = VoiceActivities(sessions, provider, storage)
    cloned = await ActivityEnvironment().run(
        activities.clone_voice, _change(account_id, influencer_id, 5)
    )
    assert cloned is not None
    assert list(fake.voices) == [cloned.voice_id]
    stale = await ActivityEnvironment().run(
        activities.clone_voice, _change(account_id, influencer_id, 4)
    )
    assert stale is None  # superseded before it started: nothing uploaded
    assert len(fake.server.requests_to("POST", "/v1/voices/add")) == 1


async def test_deleting_a_character_deletes_its_cloned_voice(setup: Any) -> None:
    sessions, storage, account_id, influencer_id, fake, provider = setup
    fake.voices["vo_live"] = {"name": "Mia"}
    await _clone_row(
        sessions, influencer_id, account_id=account_id, status=CloneStatus.READY, revision=1,
        provider="elevenlabs", voice_id="vo_live",
    )  # fmt: skip
    cleanup = CleanupActivities(sessions, storage, cast(Client, None), provider)
    deleted = await ActivityEnvironment().run(
        cleanup.delete_influencer_media, InfluencerCleanupInput(account_id=account_id, influencer_id=influencer_id)
    )
    assert fake.voices == {}
    assert deleted >= 1  # the stored sample went with the influencer's files
    # A retry after a crash finds the voice gone at the provider, which is fine.
    await ActivityEnvironment().run(
        cleanup.delete_influencer_media, InfluencerCleanupInput(account_id=account_id, influencer_id=influencer_id)
    )


async def test_a_clone_superseded_while_it_uploads_deletes_the_voice_it_made(setup: Any) -> None:
    sessions, storage, account_id, influencer_id, fake, _ = setup
    await _clone_row(sessions, influencer_id, account_id=account_id, status=CloneStatus.CLONING, revision=7)

    class SamplesChangeDuringUpload(ElevenLabsVoiceProvider):
        async def clone(self, request: Any) -> Any:
            made = await super().clone(request)
            await _clone_row(sessions, influencer_id, revision=8)  # the API took a new sample meanwhile
            return made

    racing = SamplesChangeDuringUpload(base_url=fake.server.base_url, api_key="xi-test")
    result = await ActivityEnvironment().run(
        VoiceActivities(sessions, racing, storage).clone_voice, _change(account_id, influencer_id, 7)
    )
    await racing.aclose()
    assert result is None
    assert len(fake.server.requests_to("POST", "/v1/voices/add")) == 1
    assert fake.voices == {}  # made, then deleted: no voice left that no row names
