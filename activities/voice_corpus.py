"""Grounding captions in a profile's written voice: sync the profile's corpus from its sources, embed the
samples that have no vector from the current model yet (each sample once; the vector is stored), and
retrieve the samples nearest a query by cosine similarity.

Shared by the voice-grounded caption job and batch generation, so both ground the same way."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from activities.errors import provider_errors
from domain.voice import GROUNDING_SAMPLES
from domain.voice_style import cosine
from providers.embeddings.base import EmbeddingsProvider
from store.db import transaction
from store.repositories.voice import VoiceCorpusRepository

# One embeddings call per this many samples: bounded requests for a provider, bounded memory for ours.
EMBED_CHUNK = 64
# How long this process remembers that a batch synced its profile's corpus. The sync reads the profile's
# whole library under its row lock: once per batch, not once per caption (a 100-item batch read it 100 times).
BATCH_SYNC_MEMORY_SECONDS = 3600.0


@dataclass(frozen=True)
class CorpusEntry:
    id: str
    text: str
    source: str
    vector: list[float]


@dataclass(frozen=True)
class Grounded:
    entry: CorpusEntry
    similarity: float


class CorpusGrounding:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession], embeddings: EmbeddingsProvider) -> None:
        self.session_factory = session_factory
        self.embeddings = embeddings
        # (batch, profile) → when its corpus was synced, so a batch's captions share one snapshot of it.
        self._synced: dict[tuple[str, str], float] = {}

    def _needs_sync(self, profile_id: str, batch_id: str | None) -> bool:
        if batch_id is None:
            return True
        now = time.monotonic()
        self._synced = {key: at for key, at in self._synced.items() if now - at < BATCH_SYNC_MEMORY_SECONDS}
        if (batch_id, profile_id) in self._synced:
            return False
        self._synced[(batch_id, profile_id)] = now
        return True

    async def corpus(self, account_id: str, profile_id: str, batch_id: str | None = None) -> list[CorpusEntry]:
        """The profile's whole corpus with vectors from the current model, embedding what lacks one. Within a
        batch (``batch_id``) the corpus is synced from its sources by the batch's first caption only."""
        async with transaction(self.session_factory) as session:
            repo = VoiceCorpusRepository(session)
            if self._needs_sync(profile_id, batch_id):
                await repo.sync(account_id, profile_id)
            rows = await repo.for_profile(account_id, profile_id)
            missing = [r for r in rows if r.embedding is None or r.embedding_model != self.embeddings.model]
            pending = {r.id: r.text for r in missing}
        vectors: dict[str, list[float]] = {}
        ids = list(pending)
        for start in range(0, len(ids), EMBED_CHUNK):
            chunk = ids[start : start + EMBED_CHUNK]
            with provider_errors():
                found = await self.embeddings.embed([pending[i] for i in chunk])
            vectors.update(zip(chunk, found, strict=True))
        if vectors:
            await self._store(vectors)
        return [
            CorpusEntry(r.id, r.text, r.source, vectors.get(r.id) or list(r.embedding or []))
            for r in rows
            if r.id in vectors or r.embedding is not None
        ]

    async def _store(self, vectors: dict[str, list[float]]) -> None:
        async with transaction(self.session_factory) as session:
            repo = VoiceCorpusRepository(session)
            for sample_id, vector in vectors.items():
                row = await session.get(repo.model, sample_id)
                if row is not None:  # deleted meanwhile: nothing to keep
                    row.embedding, row.embedding_model = vector, self.embeddings.model

    async def nearest(self, entries: Sequence[CorpusEntry], query: str, k: int = GROUNDING_SAMPLES) -> list[Grounded]:
        if not entries or not query.strip():
            return []
        with provider_errors():
            (vector,) = await self.embeddings.embed([query])
        ranked = sorted(
            (Grounded(e, round(cosine(vector, e.vector), 4)) for e in entries),
            key=lambda g: (-g.similarity, g.entry.id),
        )
        return ranked[:k]

    async def examples_for(self, account_id: str, profile_id: str, query: str, batch_id: str | None) -> list[str]:
        """The texts of the samples nearest ``query``; none when the profile has no corpus."""
        entries = await self.corpus(account_id, profile_id, batch_id)
        return [g.entry.text for g in await self.nearest(entries, query)]
