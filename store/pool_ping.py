"""Ping a pooled PostgreSQL connection only when it has sat idle.

``pool_pre_ping`` pings on every checkout, and with asyncpg that ping is three round trips (BEGIN, ``;``,
ROLLBACK): a third of the round trips of POST /content/generate, and on a busy machine some 40 ms of its
latency. A connection given back a moment ago is as good as a ping would find it, so only one idle for
``IDLE_PING_SECONDS`` or more is pinged; one that fails the ping is dropped and replaced before the request
sees it (SQLAlchemy's ``DisconnectionError`` recipe for custom pessimistic checks). The trade: a server
restart within that window reaches the one request that meets the dead connection as an error, after which
SQLAlchemy rebuilds the pool, as it would with no pre-ping at all."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine

IDLE_PING_SECONDS = 5.0
_CHECKED_IN_AT = "checked_in_at"


def ping_idle_connections(engine: AsyncEngine, idle_seconds: float = IDLE_PING_SECONDS) -> None:
    dialect = engine.sync_engine.dialect

    def checked_in(_dbapi_connection: Any, record: Any) -> None:
        record.info[_CHECKED_IN_AT] = time.monotonic()

    def checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        returned = record.info.get(_CHECKED_IN_AT)
        if returned is None or time.monotonic() - returned < idle_seconds:
            return  # just connected, or used a moment ago
        try:
            alive = dialect.do_ping(dbapi_connection)
        except Exception as exc:
            raise DisconnectionError("idle connection failed its ping") from exc
        if not alive:
            raise DisconnectionError("idle connection failed its ping")

    event.listen(engine.sync_engine, "checkin", checked_in)
    event.listen(engine.sync_engine, "checkout", checkout)
