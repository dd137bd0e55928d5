"""The voice corpus sync under concurrency: the caption steps of one batch sync the same profile at once, and
each must end with one corpus row per caption instead of a unique-constraint failure (found by the schema
fuzz run, where the generation worker's activities raced)."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

from sqlalchemy import func, select

from domain.content import ContentStatus
from store.db import create_engine, create_session_factory, transaction
from store.models import ContentItem, Influencer, Profile, VoiceCorpusSample
from store.repositories.voice import VoiceCorpusRepository
from store.types import utcnow
from tests.utils.factories import make_tenant


async def test_concurrent_syncs_of_one_profile_add_each_caption_once(database_url: str, tmp_path: Path) -> None:
    engine = create_engine(database_url)
    sessions = create_session_factory(engine)
    try:
        tenant = await make_tenant(sessions)
        suffix = uuid.uuid4().hex[:12]
        influencer_id, profile_id = f"inf_{suffix}", f"prof_{suffix}"
        async with transaction(sessions) as session:
            session.add(Influencer(id=influencer_id, account_id=tenant.account_id, name="Mia"))
            session.add(Profile(id=profile_id, account_id=tenant.account_id, name="Mia main", type="ai_influencer"))
            await session.flush()
            for n in range(5):
                session.add(
                    ContentItem(
                        id=f"cnt_{suffix}{n}", account_id=tenant.account_id, profile_id=profile_id,
                        influencer_id=influencer_id, status=ContentStatus.APPROVED.value,
                        caption=f"Morning light number {n}", approved_at=utcnow(),
                    )
                )  # fmt: skip

        async def sync() -> int:
            async with transaction(sessions) as session:
                return await VoiceCorpusRepository(session).sync(tenant.account_id, profile_id)

        changed = await asyncio.gather(*(sync() for _ in range(4)))

        # One sync added the five captions; the others found them.
        assert sorted(changed) == [0, 0, 0, 5]
        async with sessions() as session:
            rows = await session.scalar(
                select(func.count()).select_from(VoiceCorpusSample).where(VoiceCorpusSample.profile_id == profile_id)
            )
        assert rows == 5
    finally:
        await engine.dispose()
