"""The SQLite write gate: a process's writers take turns in asyncio, every way a write transaction can end
gives the gate back, and reads never take it."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.ids import new_id
from store.db import create_engine, create_session_factory, transaction
from store.models import Account
from store.sqlite_writes import gate_held
from tests.utils.databases import create_sqlite_database


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[tuple[str, async_sessionmaker[AsyncSession]]]:
    url = await create_sqlite_database(tmp_path)
    engine = create_engine(url)
    try:
        yield str(tmp_path / "autopersonas.db"), create_session_factory(engine)
    finally:
        await engine.dispose()


async def _accounts(sessions: async_sessionmaker[AsyncSession]) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Account)) or 0)


async def _write(sessions: async_sessionmaker[AsyncSession], name: str) -> None:
    async with transaction(sessions) as session:
        session.add(Account(id=new_id("acct"), name=name))


async def test_concurrent_writers_all_commit_and_leave_the_gate_free(
    database: tuple[str, async_sessionmaker[AsyncSession]],
) -> None:
    path, sessions = database
    await asyncio.gather(*(_write(sessions, f"acct-{n}") for n in range(20)))
    assert await _accounts(sessions) == 20
    assert not gate_held(path)


async def test_a_second_writer_waits_on_the_gate_until_the_first_commits(
    database: tuple[str, async_sessionmaker[AsyncSession]],
) -> None:
    path, sessions = database
    async with sessions() as first:
        first.add(Account(id=new_id("acct"), name="first"))
        await first.flush()
        assert gate_held(path)
        second = asyncio.create_task(_write(sessions, "second"))
        for _ in range(50):  # let the second writer run up to the gate
            await asyncio.sleep(0)
        assert not second.done()
        await first.commit()
    await second
    assert await _accounts(sessions) == 2
    assert not gate_held(path)


async def test_a_rolled_back_write_gives_the_gate_back(database: tuple[str, async_sessionmaker[AsyncSession]]) -> None:
    path, sessions = database
    async with sessions() as session:
        session.add(Account(id=new_id("acct"), name="rolled back"))
        await session.flush()
        assert gate_held(path)
        await session.rollback()
        assert not gate_held(path)
    assert await _accounts(sessions) == 0


async def test_an_update_statement_takes_the_gate_and_a_read_does_not(
    database: tuple[str, async_sessionmaker[AsyncSession]],
) -> None:
    path, sessions = database
    await _write(sessions, "before")
    async with sessions() as session:
        await session.scalar(select(Account).where(Account.name == "before"))
        assert not gate_held(path)
        await session.execute(update(Account).where(Account.name == "before").values(name="after"))
        assert gate_held(path)
        await session.commit()
        assert not gate_held(path)
    async with sessions() as session:
        assert await session.scalar(select(Account.name)) == "after"


# SQLAlchemy warns that the dropped session's connection was never returned: that is the case under test.
@pytest.mark.filterwarnings("ignore:The garbage collector is trying to clean up:sqlalchemy.exc.SAWarning")
async def test_a_session_dropped_without_closing_gives_the_gate_back(
    database: tuple[str, async_sessionmaker[AsyncSession]],
) -> None:
    path, sessions = database
    dropped = sessions()
    dropped.add(Account(id=new_id("acct"), name="dropped"))
    await dropped.flush()
    assert gate_held(path)
    del dropped
    gc.collect()
    await asyncio.sleep(0)  # the release is scheduled on the loop (a collection may run in any thread)
    assert not gate_held(path)
