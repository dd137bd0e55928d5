"""PostgreSQL connections are pinged on checkout only after sitting idle, and one found dead is replaced
before the caller uses it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from store.pool_ping import ping_idle_connections
from tests.utils.databases import create_postgres_database, drop_postgres_database
from tests.utils.services import POSTGRES_HOST, POSTGRES_PORT, POSTGRES_USER

pytestmark = pytest.mark.postgres


@pytest.fixture
async def postgres_url() -> AsyncIterator[str]:
    url, name = await create_postgres_database()
    try:
        yield url
    finally:
        await drop_postgres_database(name)


def _counting_pings(engine: AsyncEngine) -> list[int]:
    """Count the dialect's pings on this engine (a list, so the caller sees it grow)."""
    dialect = engine.sync_engine.dialect
    real = dialect.do_ping
    pings: list[int] = []

    def do_ping(dbapi_connection: Any) -> bool:
        pings.append(1)
        return real(dbapi_connection)

    dialect.do_ping = do_ping  # type: ignore[method-assign]
    return pings


async def _backend_pid(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        return int((await connection.execute(text("SELECT pg_backend_pid()"))).scalar_one())


async def test_a_connection_used_a_moment_ago_is_not_pinged(postgres_url: str) -> None:
    engine = create_async_engine(postgres_url, pool_size=1, max_overflow=0)
    ping_idle_connections(engine, idle_seconds=3600)
    pings = _counting_pings(engine)
    try:
        first, second = await _backend_pid(engine), await _backend_pid(engine)
    finally:
        await engine.dispose()
    assert first == second  # the same pooled connection, reused
    assert pings == []


async def test_an_idle_connection_killed_by_the_server_is_replaced_before_use(postgres_url: str) -> None:
    engine = create_async_engine(postgres_url, pool_size=1, max_overflow=0)
    ping_idle_connections(engine, idle_seconds=0)  # every returned connection counts as idle
    pings = _counting_pings(engine)
    try:
        killed = await _backend_pid(engine)
        admin = await asyncpg.connect(host=POSTGRES_HOST, port=POSTGRES_PORT, user=POSTGRES_USER, database="postgres")
        try:
            assert await admin.fetchval("SELECT pg_terminate_backend($1)", killed)
        finally:
            await admin.close()
        replacement = await _backend_pid(engine)  # would raise if the dead connection were handed out
    finally:
        await engine.dispose()
    assert replacement != killed
    assert len(pings) == 1
