"""The Temporal worker: builds every dependency once and registers every workflow and activity.

Run it with ``autopersonas worker`` or ``python worker.py``."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from temporalio.client import Client
from temporalio.worker import Worker

from activities.cleanup import CleanupActivities
from core.logging import configure_logging
from core.settings import Settings, get_settings
from core.temporal import connect_with_backoff, ensure_search_attributes
from providers.factory import build_storage
from providers.storage.base import MediaStorage
from store.db import create_engine, create_session_factory
from workflows.influencer_cleanup import InfluencerCleanupWorkflow

logger = logging.getLogger("autopersonas.worker")

WORKFLOWS: Sequence[type] = (InfluencerCleanupWorkflow,)


@dataclass
class WorkerDependencies:
    settings: Settings
    engine: AsyncEngine
    session_factory: async_sessionmaker[AsyncSession]
    storage: MediaStorage
    client: Client

    @classmethod
    def build(cls, settings: Settings, client: Client) -> WorkerDependencies:
        engine = create_engine(settings.resolved_database_url)
        return cls(
            settings=settings,
            engine=engine,
            session_factory=create_session_factory(engine),
            storage=build_storage(settings),
            client=client,
        )

    async def close(self) -> None:
        await self.engine.dispose()


def activity_callables(deps: WorkerDependencies) -> list[Callable[..., Any]]:
    cleanup = CleanupActivities(deps.session_factory, deps.storage, deps.client)
    return [
        cleanup.mark_influencer_deleted,
        cleanup.cancel_influencer_workflows,
        cleanup.delete_influencer_media,
        cleanup.purge_influencer,
    ]


def build_worker(deps: WorkerDependencies, task_queue: str | None = None) -> Worker:
    return Worker(
        deps.client,
        task_queue=task_queue or deps.settings.task_queue,
        workflows=list(WORKFLOWS),
        activities=activity_callables(deps),
        max_concurrent_activities=50,
    )


async def run_worker(settings: Settings) -> None:
    client = await connect_with_backoff(settings)
    await ensure_search_attributes(client, settings.temporal_namespace)
    deps = WorkerDependencies.build(settings, client)
    logger.info("worker.started task_queue=%s address=%s", settings.task_queue, settings.temporal_address)
    try:
        await build_worker(deps).run()
    finally:
        await deps.close()


def main() -> None:
    settings = get_settings()
    configure_logging(settings.log_level)
    try:
        asyncio.run(run_worker(settings))
    except KeyboardInterrupt:
        logger.info("worker.stopped")


if __name__ == "__main__":
    main()
