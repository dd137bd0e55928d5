"""A batch's captions are grounded in one snapshot of the profile's corpus: the corpus is synced from its
sources by the batch's first caption, not by every caption (the sync reads the profile's whole library), and
a caption outside a batch, or the next batch, sees what changed since."""

from __future__ import annotations

import uuid

from activities.voice_corpus import CorpusGrounding
from domain.content import ContentStatus
from providers.embeddings.local.provider import LocalEmbeddingsProvider
from store.db import create_engine, create_session_factory, transaction
from store.models import ContentItem, Influencer, Profile
from store.types import utcnow
from tests.utils.factories import make_tenant


async def test_a_batch_syncs_the_corpus_once_and_the_next_batch_sees_new_captions(database_url: str) -> None:
    engine = create_engine(database_url)
    sessions = create_session_factory(engine)
    try:
        tenant = await make_tenant(sessions)
        suffix = uuid.uuid4().hex[:12]
        influencer_id, profile_id = f"inf_{suffix}", f"prof_{suffix}"

        async def approve(n: int) -> None:
            async with transaction(sessions) as session:
                session.add(
                    ContentItem(
                        id=f"cnt_{suffix}{n}", account_id=tenant.account_id, profile_id=profile_id,
                        influencer_id=influencer_id, status=ContentStatus.APPROVED.value,
                        caption=f"Morning light number {n}", approved_at=utcnow(),
                    )
                )  # fmt: skip

        async with transaction(sessions) as session:
            session.add(Influencer(id=influencer_id, account_id=tenant.account_id, name="Mia"))
            session.add(Profile(id=profile_id, account_id=tenant.account_id, name="Mia main", type="ai_influencer"))
        await approve(0)
        await approve(1)
        grounding = CorpusGrounding(sessions, LocalEmbeddingsProvider())

        async def texts(batch_id: str | None) -> set[str]:
            return {entry.text for entry in await grounding.corpus(tenant.account_id, profile_id, batch_id)}

        first_batch = {"Morning light number 0", "Morning light number 1"}
        assert await texts("bat_first") == first_batch
        await approve(2)
        # Later captions of the same batch read the corpus as the batch's first caption synced it.
        assert await texts("bat_first") == first_batch
        # Another batch, and a caption outside any batch, sync again.
        assert await texts("bat_second") == first_batch | {"Morning light number 2"}
        await approve(3)
        assert "Morning light number 3" in await texts(None)
    finally:
        await engine.dispose()
