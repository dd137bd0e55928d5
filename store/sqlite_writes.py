"""SQLite writers of one process queue in asyncio instead of in SQLite's busy handler.

SQLite lets one connection write at a time. A second writer waits in SQLite's busy handler, which sleeps in
growing steps (1, 2, 5, 10 ... 100 ms) and tries again, so under a few concurrent requests the lock often
sits free while every waiter sleeps, and an unlucky one waits a second: POST /content/generate had a p99 of
1.1 s at 8 connections, and about half of its mean time went to the insert of the batch row. Here a session
takes its process's write gate before its first write (a flush with changes, or an INSERT/UPDATE/DELETE
statement) and gives it back when its transaction ends, so waiters are woken in turn the moment the writer
before them commits.

The gate only orders this process's writers: SQLite's own lock (and busy timeout) still guards the database
against other processes, the worker beside the API. It is advisory by design: a writer that cannot have it
within ``GATE_TIMEOUT_SECONDS`` (a session nested in another's write, which SQLite would refuse the same way
after its busy timeout) goes on without it, and a session dropped without being closed gives it back when
it is garbage collected."""

from __future__ import annotations

import asyncio
import logging
import weakref
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction
from sqlalchemy.util import await_

logger = logging.getLogger("autopersonas.store.sqlite_writes")

GATE_TIMEOUT_SECONDS = 10.0
_HELD = "sqlite_write_gate"  # session.info key: (the lock held, the finalizer that gives it back if dropped)


class WriteGate:
    """One asyncio lock per event loop (tests run several loops over one database)."""

    def __init__(self) -> None:
        self._locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = weakref.WeakKeyDictionary()

    def held(self) -> bool:
        lock = self._locks.get(asyncio.get_running_loop())
        return lock is not None and lock.locked()

    async def acquire(self) -> asyncio.Lock | None:
        """The lock now held, or None when it could not be had in time (go on ungated)."""
        loop = asyncio.get_running_loop()
        lock = self._locks.get(loop)
        if lock is None:
            lock = self._locks[loop] = asyncio.Lock()
        try:
            await asyncio.wait_for(lock.acquire(), GATE_TIMEOUT_SECONDS)
        except TimeoutError:
            logger.warning("sqlite.write_gate_timeout seconds=%s", GATE_TIMEOUT_SECONDS)
            return None
        return lock


# One gate per database file, so every engine of this process on the same file queues on it.
_gates: dict[str, WriteGate] = {}


def _gate(session: Session) -> WriteGate:
    database = session.get_bind().engine.url.database or ":memory:"
    return _gates.setdefault(database, WriteGate())


def gate_held(database: str) -> bool:
    """Whether a session of this process holds the write gate of ``database`` on the running loop."""
    gate = _gates.get(database)
    return gate is not None and gate.held()


def _release_from_gc(loop: asyncio.AbstractEventLoop, lock: asyncio.Lock) -> None:
    """A session dropped without being closed: give the gate back on its loop (GC may run in any thread)."""
    if not loop.is_closed():
        loop.call_soon_threadsafe(lock.release)


class GatedSession(Session):
    """The sync session behind each ``AsyncSession`` of a SQLite engine."""


def _take(session: Session) -> None:
    if _HELD in session.info:
        return
    lock = await_(_gate(session).acquire())
    if lock is not None:
        session.info[_HELD] = (lock, weakref.finalize(session, _release_from_gc, asyncio.get_running_loop(), lock))


@event.listens_for(GatedSession, "before_flush")
def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    _take(session)


@event.listens_for(GatedSession, "do_orm_execute")
def _before_statement(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        _take(state.session)


@event.listens_for(GatedSession, "after_transaction_end")
def _after_transaction(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None and _HELD in session.info:
        lock, finalizer = session.info.pop(_HELD)
        finalizer.detach()
        lock.release()
