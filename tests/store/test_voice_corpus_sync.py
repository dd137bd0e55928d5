"""The voice corpus sync under concurrency: the caption steps of one batch sync the same profile at once, and
each must end with one corpus row per caption instead of a unique-constraint failure (found by the schema
fuzz run, where the generation worker's activities raced)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import func, select

from store.db import create_engine, create_session_factory, transaction
from store.models import VoiceCorpusSample
from store.repositories.voice import VoiceCorpusRepository
from tests.utils.corpus_rows import approve_captions, make_corpus_profile


async def test_concurrent_syncs_of_one_profile_add_each_caption_once(database_url: str, tmp_path: Path) -> None:
    engine = create_engine(database_url)
    sessions = create_session_factory(engine)
    try:
        profile = await make_corpus_profile(sessions)
        await approve_captions(sessions, profile, range(5))

        async def sync() -> int:
            async with transaction(sessions) as session:
                return await VoiceCorpusRepository(session).sync(profile.account_id, profile.profile_id)

        changed = await asyncio.gather(*(sync() for _ in range(4)))

        # One sync added the five captions; the others found them.
        assert sorted(changed) == [0, 0, 0, 5]
        async with sessions() as session:
            rows = await session.scalar(
                select(func.count())
                .select_from(VoiceCorpusSample)
                .where(VoiceCorpusSample.profile_id == profile.profile_id)
            )
        assert rows == 5
    finally:
        await engine.dispose()
