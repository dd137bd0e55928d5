"""API keys as the hot path sees them: a short per-process cache of keys by secret hash, and the
throttled, off-path record of their use (``last_used_at``).

Every authenticated request used to read its key from the database and, once a minute per key, write
``last_used_at`` before the endpoint ran. The cache keeps a known key for ``API_KEY_CACHE_SECONDS`` (2 s
by default): a revocation committed by another process (the CLI, another API replica) is honoured within
that time, and one committed by this process at once (``store/revocations.py``). Unknown secrets are never
cached, so a key created elsewhere works on its first request."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from store.db import transaction
from store.repositories.accounts import ApiKeyRepository
from store.revocations import revoked_here
from store.types import utcnow

logger = logging.getLogger("autopersonas.api.keys")

# Coarse last-used tracking: one write a minute per key and process, not one per request.
LAST_USED_RESOLUTION = timedelta(minutes=1)
_MAX_ENTRIES = 10_000  # a bound, so many distinct keys cannot grow the cache without limit


@dataclass(frozen=True)
class KeyRecord:
    """An API key as one request sees it."""

    id: str
    account_id: str
    scopes: frozenset[str]
    revoked: bool
    last_used_at: datetime | None


class KeyCache:
    def __init__(self, ttl_seconds: float) -> None:
        self.ttl = ttl_seconds
        self._entries: dict[str, tuple[float, KeyRecord]] = {}

    def get(self, secret_hash: str) -> KeyRecord | None:
        entry = self._entries.get(secret_hash)
        if entry is None:
            return None
        stored_at, record = entry
        if time.monotonic() - stored_at > self.ttl:
            self._entries.pop(secret_hash, None)
            return None
        if not record.revoked and revoked_here(record.id):
            return KeyRecord(record.id, record.account_id, record.scopes, True, record.last_used_at)
        return record

    def put(self, secret_hash: str, record: KeyRecord) -> None:
        if self.ttl <= 0:
            return
        if len(self._entries) >= _MAX_ENTRIES:
            self._entries.pop(next(iter(self._entries)))
        self._entries[secret_hash] = (time.monotonic(), record)


class KeyUsageRecorder:
    """Writes ``last_used_at`` at most once a minute per key. A key's first use ever is written before the
    request goes on (once in the key's life, so ``keys list`` shows a new key used at once); later ones in
    a background task. Every write is its own short transaction, never the request's session: that session
    lives as long as the request, and a write in it would hold SQLite's write lock (or a pooled PostgreSQL
    connection) while the endpoint reads a slow upload or fetches a caller's URL."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions
        self._written: dict[str, datetime] = {}
        self._pending: set[asyncio.Task[None]] = set()

    async def used(self, key: KeyRecord) -> None:
        now = utcnow()
        last = self._written.get(key.id) or key.last_used_at
        if last is not None and now - last <= LAST_USED_RESOLUTION:
            return
        self._written[key.id] = now
        if last is None:
            await self._touch(key.id, now)
            return
        task = asyncio.create_task(self._touch(key.id, now))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _touch(self, key_id: str, when: datetime) -> None:
        try:
            async with transaction(self.sessions) as session:
                await ApiKeyRepository(session).touch(key_id, when)
        except Exception:  # a lost last-used stamp must never fail or slow a request; the next one retries
            self._written.pop(key_id, None)
            logger.warning("keys.touch_failed key_id=%s", key_id, exc_info=True)

    async def drain(self) -> None:
        """Finish pending writes (at shutdown)."""
        if self._pending:
            await asyncio.gather(*self._pending, return_exceptions=True)
