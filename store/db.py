"""The async engine and session factory. SQLite runs in WAL mode with a busy timeout so the API and the
worker, two processes on one file, do not trip over each other's writes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from store.pool_ping import ping_idle_connections

# Connections kept open per process, and how many more a burst may open and close.
POOL_SIZE = 10
MAX_OVERFLOW = 10


def create_engine(url: str) -> AsyncEngine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        # The same pool as PostgreSQL's: the default five would, at eight concurrent requests, open and close
        # a connection (a thread and four pragmas with aiosqlite) for every request past the fifth.
        engine = create_async_engine(url, connect_args={"timeout": 30}, pool_size=POOL_SIZE, max_overflow=MAX_OVERFLOW)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    engine = create_async_engine(url, pool_size=POOL_SIZE, max_overflow=MAX_OVERFLOW)
    ping_idle_connections(engine)  # not pool_pre_ping: three round trips on every checkout (see pool_ping)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


@asynccontextmanager
async def request_unit_of_work(factory: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """A request's session: commit when the endpoint returns, roll back when it raises. Unlike
    ``transaction`` the endpoint may commit part-way (the WorkflowStarter commits before it starts work)."""
    async with factory() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise


@asynccontextmanager
async def transaction(factory: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """One unit of work: commit on success, roll back on error. Used by activities and the CLI."""
    async with factory() as session, session.begin():
        yield session
