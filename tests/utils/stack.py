"""The system under test: the API on a real socket, a worker on its own task queue, one real Temporal
server and one real database, wired exactly as in production."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from temporalio.client import Client
from temporalio.worker import Worker

from api.app import create_app
from core.settings import Settings
from store.db import create_engine, create_session_factory
from tests.utils.servers import free_port, serve_in_thread
from worker import WorkerDependencies, build_worker


@dataclass
class Stack:
    settings: Settings
    base_url: str
    client: Client
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    deps: WorkerDependencies


def stack_settings(data_dir: Path, database_url: str, temporal_address: str, **overrides: object) -> Settings:
    port = free_port()
    values: dict[str, object] = {
        "data_dir": data_dir,
        "database_url": database_url,
        "temporal_address": temporal_address,
        "task_queue": f"test-{uuid.uuid4().hex[:8]}",
        "rate_limit_per_minute": 100_000,
        "allow_private_urls": True,  # test servers, reference images included, live on 127.0.0.1
        "public_base_url": f"http://127.0.0.1:{port}",
        "api_port": port,
        "sandbox_enabled": True,
    }
    values.update(overrides)
    api_port = values.pop("api_port")
    settings = Settings(**values)  # type: ignore[arg-type]
    object.__setattr__(settings, "_test_api_port", api_port)
    return settings


@asynccontextmanager
async def running_worker(deps: WorkerDependencies, task_queue: str) -> AsyncIterator[Worker]:
    worker = build_worker(deps, task_queue)
    task = asyncio.create_task(worker.run())
    try:
        yield worker
    finally:
        await worker.shutdown()
        await asyncio.gather(task, return_exceptions=True)


@asynccontextmanager
async def running_stack(
    settings: Settings,
    client: Client,
    *,
    with_worker: bool = True,
    customize: Callable[[WorkerDependencies], None] | None = None,
) -> AsyncIterator[Stack]:
    """``customize`` may swap the worker's dependencies (e.g. wrap a provider with fault injection)."""
    engine = create_engine(settings.resolved_database_url)
    deps = WorkerDependencies.build(settings, client)
    if customize is not None:
        customize(deps)
    port = getattr(settings, "_test_api_port", None) or free_port()
    try:
        with serve_in_thread(create_app(settings), port) as base_url:
            stack = Stack(settings, base_url, client, engine, create_session_factory(engine), deps)
            if with_worker:
                async with running_worker(deps, settings.task_queue):
                    yield stack
            else:
                yield stack
    finally:
        await deps.close()
        await engine.dispose()
