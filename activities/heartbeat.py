"""Heartbeats while an activity waits, so a dead worker's step is retried within seconds (the heartbeat
timeout) instead of at the end of its start-to-close timeout.

``heartbeat_while`` runs one awaitable and heartbeats every third of the activity's heartbeat timeout
until it is done; ``heartbeating`` wraps a whole activity method that way, so the database work around
the remote call is covered too. Generation steps are short and idempotent, and a started item must
finish whole or leave nothing (see workflows/generation_chunk.py), so a cancellation request from the
server (a cancelled batch, a heartbeat timed out while the event loop was busy) does not interrupt the
work; only the worker's own shutdown, once its grace period is over, does."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable, Coroutine
from datetime import timedelta
from typing import Any, ParamSpec, TypeVar

from temporalio import activity

T = TypeVar("T")
P = ParamSpec("P")

# When the activity has no heartbeat timeout, still report liveness now and then (the SDK throttles).
DEFAULT_INTERVAL = timedelta(seconds=5)


def heartbeat_interval() -> float:
    timeout = activity.info().heartbeat_timeout
    if not timeout:
        return DEFAULT_INTERVAL.total_seconds()
    return max(0.1, timeout.total_seconds() / 3)


async def heartbeat_while(
    awaitable: Awaitable[T], *, interval: float | None = None, details: tuple[Any, ...] = ()
) -> T:
    """Await ``awaitable``, heartbeating every ``interval`` seconds (default: a third of the heartbeat
    timeout). A server-side cancellation request is ignored until the work is done; a worker shutdown
    cancels it. ``details`` go with every heartbeat (each heartbeat replaces the last one's), so a retry
    after a crash can read them from ``activity.info().heartbeat_details``."""
    every = interval if interval is not None else heartbeat_interval()
    task = asyncio.ensure_future(awaitable)
    try:
        while True:
            try:
                done, _ = await asyncio.wait({task}, timeout=every)
            except asyncio.CancelledError:
                if activity.is_worker_shutdown():
                    raise
                # A cancellation request for a step that finishes whole: keep working, keep heartbeating.
                done = set()
            if done:
                return task.result()
            activity.heartbeat(*details)
    finally:
        if not task.done():
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)


def heartbeating(method: Callable[P, Coroutine[Any, Any, T]]) -> Callable[P, Coroutine[Any, Any, T]]:
    """Run the whole activity method under ``heartbeat_while``. Put it below ``@activity.defn``."""

    @functools.wraps(method)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        return await heartbeat_while(method(*args, **kwargs))

    return wrapper
