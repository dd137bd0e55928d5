"""Per-key rate limits over real HTTP: one API process with the in-memory limiter, and two real
``autopersonas api`` processes that share one budget through Redis."""

from __future__ import annotations

import os
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.testing import WorkflowEnvironment

from api.app import create_app
from core.scopes import Scope
from store.db import create_engine, create_session_factory
from tests.conftest import temporal_address
from tests.utils.databases import create_sqlite_database
from tests.utils.factories import Tenant, add_key, make_tenant
from tests.utils.processes import api_processes
from tests.utils.servers import serve_in_thread
from tests.utils.services import REDIS_URL
from tests.utils.stack import stack_settings

LIMIT = 60
PROBE = "/api/v1/config/features"
REPO_ROOT = Path(__file__).resolve().parents[2]


@asynccontextmanager
async def sessions_for(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(database_url)
    try:
        yield create_session_factory(engine)
    finally:
        await engine.dispose()


def assert_rate_limited(response: httpx.Response) -> None:
    assert response.status_code == 429, response.text
    retry_after = response.headers.get("Retry-After")
    assert retry_after is not None and retry_after.isdigit(), response.headers
    assert 1 <= int(retry_after) <= 60
    assert response.headers["X-RateLimit-Limit"] == str(LIMIT)
    assert response.headers["X-RateLimit-Remaining"] == "0"
    error = response.json()["error"]
    assert error["code"] == "rate_limited"
    assert isinstance(error["message"], str) and error["message"]


class TestInProcessLimit:
    async def test_sixty_pass_then_429_and_other_key_is_unaffected(
        self, database_url: str, temporal_env: WorkflowEnvironment, tmp_path: Path
    ) -> None:
        settings = stack_settings(tmp_path, database_url, temporal_address(temporal_env), rate_limit_per_minute=LIMIT)
        async with sessions_for(database_url) as sessions:
            first = await make_tenant(sessions)
            second = await add_key(sessions, first.account_id, [Scope.CHARACTER_READ])
        with serve_in_thread(create_app(settings)) as base_url:
            async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:
                started = time.time()
                remaining: list[int] = []
                for _ in range(LIMIT):
                    response = await http.get(PROBE, headers=first.headers)
                    assert response.status_code == 200, response.text
                    assert response.headers["X-RateLimit-Limit"] == str(LIMIT)
                    reset = int(response.headers["X-RateLimit-Reset"])
                    assert started <= reset <= time.time() + 61
                    remaining.append(int(response.headers["X-RateLimit-Remaining"]))
                assert remaining == list(range(LIMIT - 1, -1, -1))

                assert_rate_limited(await http.get(PROBE, headers=first.headers))

                other = await http.get(PROBE, headers=second.headers)
                assert other.status_code == 200, other.text
                assert other.headers["X-RateLimit-Remaining"] == str(LIMIT - 1)
                # ...and the exhausted key stays refused.
                assert_rate_limited(await http.get(PROBE, headers=first.headers))


def api_env(database_url: str, data_dir: Path, temporal: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUTOPERSONAS_")}
    env.update(
        AUTOPERSONAS_DATABASE_URL=database_url,
        AUTOPERSONAS_DATA_DIR=str(data_dir),
        AUTOPERSONAS_REDIS_URL=REDIS_URL,
        AUTOPERSONAS_RATE_LIMIT_PER_MINUTE=str(LIMIT),
        AUTOPERSONAS_TEMPORAL_ADDRESS=temporal,
        AUTOPERSONAS_LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


@pytest.mark.redis
class TestSharedRedisLimit:
    async def test_two_api_processes_share_one_budget(self, temporal_env: WorkflowEnvironment, tmp_path: Path) -> None:
        database_url = await create_sqlite_database(tmp_path)
        async with sessions_for(database_url) as sessions:
            tenant: Tenant = await make_tenant(sessions)
        env = api_env(database_url, tmp_path / "data", temporal_address(temporal_env))
        with api_processes(2, env, tmp_path) as urls:
            async with httpx.AsyncClient(timeout=30) as http:
                remaining: list[int] = []
                for i in range(LIMIT):
                    response = await http.get(urls[i % 2] + PROBE, headers=tenant.headers)
                    assert response.status_code == 200, f"request {i + 1} on {urls[i % 2]}: {response.text}"
                    remaining.append(int(response.headers["X-RateLimit-Remaining"]))
                # One count across both processes: each answer knows about the other's hits.
                assert remaining == list(range(LIMIT - 1, -1, -1))
                for url in urls:
                    assert_rate_limited(await http.get(url + PROBE, headers=tenant.headers))
