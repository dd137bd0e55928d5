"""API keys on the hot path: a key read once serves a couple of seconds of requests, yet a revocation made by
another process is honoured within ``API_KEY_CACHE_SECONDS`` (and one made by this process at once, see
``test_auth_and_errors``); ``last_used_at`` is written once a minute per key, off the request's path."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timedelta

import httpx
from sqlalchemy import update

from api.keycache import KeyCache, KeyRecord, KeyUsageRecorder
from store.db import transaction
from store.models import ApiKey
from store.repositories.accounts import ApiKeyRepository
from store.types import utcnow
from tests.utils.factories import Tenant, make_tenant
from tests.utils.stack import Stack


async def test_a_revocation_made_elsewhere_is_honoured_within_the_cache_time(
    http: httpx.AsyncClient, stack: Stack, tenant: Tenant
) -> None:
    assert (await http.get("/api/v1/influencers", headers=tenant.headers)).status_code == 200
    # A plain UPDATE, as the CLI or another API replica would commit it: this process hears nothing of it.
    async with transaction(stack.sessions) as session:
        await session.execute(update(ApiKey).where(ApiKey.id == tenant.key_id).values(revoked_at=utcnow()))
    revoked_at = time.monotonic()
    while True:
        response = await http.get("/api/v1/influencers", headers=tenant.headers)
        if response.status_code == 401:
            break
        assert response.status_code == 200
        assert time.monotonic() - revoked_at < stack.settings.api_key_cache_seconds + 1.5, "revocation not honoured"
        await asyncio.sleep(0.1)
    assert response.json()["error"]["code"] == "revoked_api_key"


async def test_a_new_key_works_on_its_first_request_after_an_unknown_one_was_tried(
    http: httpx.AsyncClient, stack: Stack
) -> None:
    """Unknown secrets are not cached: a key created elsewhere a moment later is not refused."""
    tenant = await make_tenant(stack.sessions)
    assert (await http.get("/api/v1/influencers", headers=tenant.headers)).status_code == 200


def test_cache_entries_expire_and_local_revocations_show_at_once() -> None:
    cache = KeyCache(ttl_seconds=0.05)
    record = KeyRecord("key_x", "acct_x", frozenset({"content:read"}), revoked=False, last_used_at=None)
    cache.put("hash", record)
    assert cache.get("hash") == record
    time.sleep(0.06)
    assert cache.get("hash") is None

    disabled = KeyCache(ttl_seconds=0)
    disabled.put("hash", record)
    assert disabled.get("hash") is None


async def test_use_is_written_at_first_use_then_at_most_once_a_minute_in_the_background(
    stack: Stack, tenant: Tenant
) -> None:
    recorder = KeyUsageRecorder(stack.sessions)

    async def stored() -> datetime | None:
        async with stack.sessions() as session:
            key = await ApiKeyRepository(session).get(tenant.key_id)
            assert key is not None
            return key.last_used_at

    fresh = KeyRecord(tenant.key_id, tenant.account_id, frozenset(), revoked=False, last_used_at=None)
    await recorder.used(fresh)  # first use ever: written before the request goes on
    first = await stored()
    assert first is not None

    await recorder.used(fresh)  # again within the minute: nothing written
    await recorder.drain()
    assert await stored() == first

    # Another process (or this one, restarted) knows the key as last used two minutes ago: the write is
    # due, and happens in a background task the request does not wait for.
    stale = KeyRecord(
        tenant.key_id, tenant.account_id, frozenset(), revoked=False, last_used_at=utcnow() - timedelta(minutes=2)
    )
    later = KeyUsageRecorder(stack.sessions)
    await later.used(stale)
    await later.drain()
    latest = await stored()
    assert latest is not None and latest > first
