"""The production topology on one machine: two API processes and three worker processes against one
Temporal, one PostgreSQL and one Redis. A 100-item batch is spread across the workers (each item's
worker identity read from the histories), the rate limit is exact across both APIs, and SIGKILL of one
worker mid-batch loses nothing."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select
from temporalio.client import Client
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment

from contracts.generation import chunk_workflow_id
from domain.batches import BatchItemStatus, BatchStatus
from store.db import create_engine, create_session_factory
from store.models import Batch, BatchItem
from tests.conftest import temporal_address
from tests.utils.databases import create_postgres_database, drop_postgres_database
from tests.utils.factories import create_influencer, create_profile, make_tenant
from tests.utils.processes import api_processes, start_worker
from tests.utils.services import REDIS_URL
from tests.utils.stack import stack_settings

COUNT = 100
LIMIT = 50
WORKERS = ("worker-1", "worker-2", "worker-3")
FINISHED = {BatchStatus.COMPLETED, BatchStatus.PARTIALLY_FAILED, BatchStatus.FAILED, BatchStatus.CANCELLED}


async def activity_identities(client: Client, workflow_ids: Iterable[str]) -> Counter[str]:
    """How many finished activity attempts each worker identity ran, read from the histories."""
    identities: Counter[str] = Counter()
    for workflow_id in workflow_ids:
        try:
            history = await client.get_workflow_handle(workflow_id).fetch_history()
        except RPCError:
            continue  # a chunk not started yet
        for event in history.events:
            if event.HasField("activity_task_started_event_attributes"):
                identities[event.activity_task_started_event_attributes.identity] += 1
    return identities


@pytest.mark.postgres
@pytest.mark.redis
async def test_two_apis_three_workers_spread_one_batch_and_survive_a_killed_worker(
    temporal_env: WorkflowEnvironment, tmp_path: Path
) -> None:
    database_url, database = await create_postgres_database()
    engine = create_engine(database_url)
    sessions = create_session_factory(engine)
    workers: dict[str, subprocess.Popen[bytes]] = {}
    try:
        settings = stack_settings(tmp_path / "data", database_url, temporal_address(temporal_env))
        tenant = await make_tenant(sessions)
        probe = await make_tenant(sessions)
        env = {k: v for k, v in os.environ.items() if not k.startswith("AUTOPERSONAS_")}
        env.update(
            AUTOPERSONAS_DATABASE_URL=database_url,
            AUTOPERSONAS_DATA_DIR=str(settings.data_dir),
            AUTOPERSONAS_REDIS_URL=REDIS_URL,
            AUTOPERSONAS_RATE_LIMIT_PER_MINUTE=str(LIMIT),
            AUTOPERSONAS_TEMPORAL_ADDRESS=settings.temporal_address,
            AUTOPERSONAS_TASK_QUEUE=settings.task_queue,
            AUTOPERSONAS_LOG_LEVEL="WARNING",
        )
        for name in WORKERS:
            options = ["--identity", name, "--concurrency", "20"]
            workers[name] = start_worker(settings, tmp_path / f"{name}.log", options)
        with api_processes(2, env, tmp_path) as urls:
            first = httpx.AsyncClient(base_url=urls[0], timeout=30)
            second = httpx.AsyncClient(base_url=urls[1], timeout=30)
            influencer = await create_influencer(first, tenant)
            profile = await create_profile(second, tenant, influencer["id"])
            started = await second.post(
                "/api/v1/content/generate", json={"profileId": profile["id"], "count": COUNT}, headers=tenant.headers
            )
            assert started.status_code == 202, started.text
            batch_id = started.json()["id"]
            chunks = [chunk_workflow_id(batch_id, chunk) for chunk in range(2)]

            # Once the batch is under way, kill the worker that has done the most so far: work is in flight.
            for _ in range(600):
                async with sessions() as session:
                    done = await session.scalar(
                        select(func.count()).where(
                            BatchItem.batch_id == batch_id, BatchItem.status == BatchItemStatus.COMPLETED
                        )
                    )
                if (done or 0) >= 10:
                    break
                await asyncio.sleep(0.1)
            before_kill = await activity_identities(temporal_env.client, chunks)
            victim = max(WORKERS, key=lambda name: before_kill[name])
            async with sessions() as session:
                status = await session.scalar(select(Batch.status).where(Batch.id == batch_id))
            assert status not in FINISHED, "the batch ended before the kill; the test proved nothing"
            assert before_kill[victim] > 0, before_kill
            workers[victim].send_signal(signal.SIGKILL)
            workers[victim].wait(timeout=10)

            for _ in range(1200):  # polled in the database: the API budget is kept for the checks below
                async with sessions() as session:
                    status = await session.scalar(select(Batch.status).where(Batch.id == batch_id))
                if status in FINISHED:
                    break
                await asyncio.sleep(0.25)

            batch = (await first.get(f"/api/v1/batches/{batch_id}", headers=tenant.headers)).json()
            assert batch["status"] == "completed", batch["counts"]
            assert batch["counts"]["completed"] == COUNT
            listing = await second.get(
                "/api/v1/content", params={"batchId": batch_id, "limit": 100}, headers=tenant.headers
            )
            items = listing.json()["data"]
            assert len({item["id"] for item in items}) == COUNT
            content_root = settings.resolved_media_dir / tenant.account_id / "content"
            assert len([p for p in content_root.rglob("*") if p.is_file()]) == COUNT  # nothing orphaned
            usage = (await first.get("/api/v1/usage", headers=tenant.headers)).json()
            assert sum(row["units"] for row in usage["days"] if row["action"] == "image_generation") == COUNT

            identities = await activity_identities(temporal_env.client, chunks)
            print(f"activity attempts by worker: {dict(identities)}")
            # Spread across the workers (how evenly is Temporal's matching, not ours), the killed one included.
            assert set(identities) <= set(WORKERS) and len(identities) >= 2, identities
            assert identities[victim] > 0

            # One budget per key across both API processes: exactly LIMIT answers, then 429 on either.
            remaining = []
            for i in range(LIMIT):
                response = await (first if i % 2 == 0 else second).get("/api/v1/config/features", headers=probe.headers)
                assert response.status_code == 200, (i, response.text)
                remaining.append(int(response.headers["X-RateLimit-Remaining"]))
            assert remaining == list(range(LIMIT - 1, -1, -1))
            for client in (first, second):
                refused = await client.get("/api/v1/config/features", headers=probe.headers)
                assert refused.status_code == 429
            await first.aclose()
            await second.aclose()
    finally:
        for process in workers.values():
            if process.poll() is None:
                process.kill()
                process.wait(timeout=10)
        await engine.dispose()
        await drop_postgres_database(database)
