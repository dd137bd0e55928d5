"""A content item's plan carries the caption's voice (name, personality, bio, the item's direction), read
once when the item is planned: the caption step then reads nothing back, and a plan recorded before plans
carried it still gets its voice, read at caption time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import ActivityEnvironment

from activities.generation import GenerationActivities
from contracts.generation import GenerationOptions, ItemRef
from domain.batches import BatchKind
from providers.images.local.provider import LocalImageProvider
from providers.storage.local.provider import LocalMediaStorage
from providers.text.base import CaptionRequest, CaptionResult
from providers.text.local.provider import LocalTextProvider
from store.db import create_engine, create_session_factory, transaction
from store.models import Influencer, Profile
from tests.utils.factories import make_tenant

DIRECTIONS = [
    {"id": "dir_climb", "title": "Climbing", "description": "crags around Lyon"},
    {"id": "dir_food", "title": "Food", "description": "market breakfasts"},
]


@dataclass
class RecordingText(LocalTextProvider):
    """The local caption writer, keeping each request it was asked to write."""

    requests: list[CaptionRequest] = field(default_factory=list)

    async def caption(self, request: CaptionRequest) -> CaptionResult:
        self.requests.append(request)
        return await super().caption(request)


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(database_url)
    yield create_session_factory(engine)
    await engine.dispose()


async def test_the_plan_carries_the_voice_and_an_old_plan_reads_it_at_caption_time(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    tenant = await make_tenant(sessions)
    async with transaction(sessions) as session:
        session.add(Influencer(id="inf_voice1", account_id=tenant.account_id, name="Mia", personality="dry, wry",
                               bio="Climber in Lyon"))
        session.add(Profile(id="prof_voice1", account_id=tenant.account_id, name="Mia main", type="ai_influencer",
                            influencer_id="inf_voice1", content_directions=DIRECTIONS))
    text = RecordingText()
    activities = GenerationActivities(
        sessions, LocalImageProvider(), text, LocalMediaStorage(tmp_path, "http://media.test")
    )
    ref = ItemRef(batch_id=None, account_id=tenant.account_id, kind=BatchKind.CONTENT, position=0,
                  influencer_id="inf_voice1", profile_id="prof_voice1",
                  options=GenerationOptions(content_direction_id="dir_climb"))
    env = ActivityEnvironment()

    plan = await env.run(activities.plan_item, ref)

    voice = plan.voice
    assert voice is not None
    assert (voice.influencer_name, voice.personality, voice.bio) == ("Mia", "dry, wry", "Climber in Lyon")
    assert voice.content_directions == ["Climbing: crags around Lyon"]

    # The influencer changes after planning: the planned item's caption keeps the voice it was planned with.
    async with transaction(sessions) as session:
        await session.execute(
            update(Influencer).where(Influencer.id == "inf_voice1").values(name="Zoé", bio="Baker in Nantes")
        )
    caption = await env.run(activities.write_caption, plan)
    assert caption.caption
    assert (text.requests[-1].influencer_name, text.requests[-1].bio) == ("Mia", "Climber in Lyon")
    assert text.requests[-1].content_directions == ["Climbing: crags around Lyon"]

    # A plan without a voice (recorded before plans carried one) reads the influencer as it is now.
    await env.run(activities.write_caption, plan.model_copy(update={"voice": None}))
    assert (text.requests[-1].influencer_name, text.requests[-1].bio) == ("Zoé", "Baker in Nantes")
    assert text.requests[-1].content_directions == ["Climbing: crags around Lyon"]


@dataclass
class RemoteText(RecordingText):
    """The same writer presented as a remote model: the workflow must then keep the caption an activity."""

    in_process: bool = False


async def test_only_a_worker_writing_captions_in_process_plans_quick_captions(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    tenant = await make_tenant(sessions)
    async with transaction(sessions) as session:
        session.add(Influencer(id="inf_voice2", account_id=tenant.account_id, name="Mia"))
    ref = ItemRef(batch_id=None, account_id=tenant.account_id, kind=BatchKind.CONTENT, position=0,
                  influencer_id="inf_voice2")
    storage = LocalMediaStorage(tmp_path, "http://media.test")
    env = ActivityEnvironment()

    local = await env.run(GenerationActivities(sessions, LocalImageProvider(), RecordingText(), storage).plan_item, ref)
    remote = await env.run(GenerationActivities(sessions, LocalImageProvider(), RemoteText(), storage).plan_item, ref)

    assert local.quick_caption is True
    assert remote.quick_caption is False
    assert local.voice == remote.voice and local.voice is not None and local.voice.influencer_name == "Mia"
