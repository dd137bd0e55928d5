"""``autopersonas keys rotate``: a new secret for the same key, the old one working for a grace period
(then refused), and ``keys list`` showing both, through the real CLI against the real database."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import update

from core.time import parse_duration
from store.db import transaction
from store.models import ApiKey
from store.repositories.accounts import ApiKeyRepository
from store.types import utcnow
from tests.utils.factories import Tenant
from tests.utils.stack import Stack


def run_cli(stack: Stack, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUTOPERSONAS_")}
    env["AUTOPERSONAS_DATABASE_URL"] = stack.settings.resolved_database_url
    env["AUTOPERSONAS_DATA_DIR"] = str(stack.settings.data_dir)
    return subprocess.run([sys.executable, "-m", "cli", *args], env=env, capture_output=True, text=True, timeout=60)


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


async def test_rotated_key_keeps_the_old_secret_for_the_grace_period_then_refuses_it(
    stack: Stack, http: httpx.AsyncClient, tenant: Tenant
) -> None:
    rotated = await asyncio.to_thread(run_cli, stack, "keys", "rotate", tenant.key_id, "--grace", "2h")
    assert rotated.returncode == 0, rotated.stderr
    new_secret = rotated.stdout.strip().splitlines()[-1]
    assert new_secret.startswith("ap_live_") and new_secret != tenant.secret

    # Both secrets act as the same key: same account, same resources.
    old = await http.get("/api/v1/influencers", headers=tenant.headers)
    new = await http.get("/api/v1/influencers", headers=bearer(new_secret))
    assert (old.status_code, new.status_code) == (200, 200)
    assert old.json() == new.json()

    listed = await asyncio.to_thread(run_cli, stack, "keys", "list")
    lines = [line for line in listed.stdout.splitlines() if tenant.key_id in line]
    index = listed.stdout.splitlines().index(lines[0])
    previous_line = listed.stdout.splitlines()[index + 1]
    assert "previous" in previous_line and "stops working at" in previous_line
    assert tenant.secret[:12] in previous_line

    # The grace period ends: the old secret is refused like an unknown key, the new one still works.
    async with transaction(stack.sessions) as session:
        await session.execute(
            update(ApiKey).where(ApiKey.id == tenant.key_id).values(previous_expires_at=utcnow() - timedelta(seconds=1))
        )
    # Ended behind the API's back, as another process would: honoured once the key cache's entry is stale.
    await asyncio.sleep(stack.settings.api_key_cache_seconds + 0.1)
    refused = await http.get("/api/v1/influencers", headers=tenant.headers)
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "invalid_api_key"
    assert (await http.get("/api/v1/influencers", headers=bearer(new_secret))).status_code == 200


async def test_rotating_again_ends_the_earlier_secret_at_once(
    stack: Stack, http: httpx.AsyncClient, tenant: Tenant
) -> None:
    async with transaction(stack.sessions) as session:
        first = await ApiKeyRepository(session).rotate(tenant.key_id, timedelta(hours=24))
    assert first is not None
    async with transaction(stack.sessions) as session:
        second = await ApiKeyRepository(session).rotate(tenant.key_id, timedelta(hours=24))
    assert second is not None
    assert (await http.get("/api/v1/influencers", headers=tenant.headers)).status_code == 401
    assert (await http.get("/api/v1/influencers", headers=bearer(first[1]))).status_code == 200
    assert (await http.get("/api/v1/influencers", headers=bearer(second[1]))).status_code == 200


async def test_a_revoked_or_unknown_key_cannot_be_rotated(stack: Stack, tenant: Tenant) -> None:
    unknown = await asyncio.to_thread(run_cli, stack, "keys", "rotate", "key_doesnotexist")
    assert unknown.returncode == 1 and "no live key" in unknown.stderr
    assert (await asyncio.to_thread(run_cli, stack, "keys", "revoke", tenant.key_id)).returncode == 0
    revoked = await asyncio.to_thread(run_cli, stack, "keys", "rotate", tenant.key_id)
    assert revoked.returncode == 1
    bad_grace = await asyncio.to_thread(run_cli, stack, "keys", "rotate", tenant.key_id, "--grace", "soon")
    assert bad_grace.returncode == 2 and "--grace" in bad_grace.stderr


@pytest.mark.parametrize(
    ("text", "expected"),
    [("24h", timedelta(hours=24)), ("30m", timedelta(minutes=30)), ("1h30m", timedelta(minutes=90)),
     ("2d", timedelta(days=2)), ("0", timedelta(0)), ("90s", timedelta(seconds=90))],
)
def test_durations_parse(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "h", "24", "24x", "1h-5m", "soon"])
def test_bad_durations_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not a duration"):
        parse_duration(text)
