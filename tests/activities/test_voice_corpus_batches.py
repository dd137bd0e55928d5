"""A batch's captions are grounded in one snapshot of the profile's corpus: the corpus is synced from its
sources by the batch's first caption, not by every caption (the sync reads the profile's whole library), and
a caption outside a batch, or the next batch, sees what changed since."""

from __future__ import annotations

from activities.voice_corpus import CorpusGrounding
from providers.embeddings.local.provider import LocalEmbeddingsProvider
from store.db import create_engine, create_session_factory
from tests.utils.corpus_rows import approve_captions, approved_caption, make_corpus_profile


async def test_a_batch_syncs_the_corpus_once_and_the_next_batch_sees_new_captions(database_url: str) -> None:
    engine = create_engine(database_url)
    sessions = create_session_factory(engine)
    try:
        profile = await make_corpus_profile(sessions)
        await approve_captions(sessions, profile, [0, 1])
        grounding = CorpusGrounding(sessions, LocalEmbeddingsProvider())

        async def texts(batch_id: str | None) -> set[str]:
            return {e.text for e in await grounding.corpus(profile.account_id, profile.profile_id, batch_id)}

        first_batch = {approved_caption(0), approved_caption(1)}
        assert await texts("bat_first") == first_batch
        await approve_captions(sessions, profile, [2])
        # Later captions of the same batch read the corpus as the batch's first caption synced it.
        assert await texts("bat_first") == first_batch
        # Another batch, and a caption outside any batch, sync again.
        assert await texts("bat_second") == first_batch | {approved_caption(2)}
        await approve_captions(sessions, profile, [3])
        assert approved_caption(3) in await texts(None)
    finally:
        await engine.dispose()
