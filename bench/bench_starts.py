"""Starting work: ``python -m bench.bench_starts [--seconds 5] [--connections 8] [--no-postgres]``.

One run against one Temporal dev server: the anchor is raw ``client.start_workflow`` of the batch workflow
with the same input our API builds, from 8 concurrent callers; ours is ``POST /content/generate`` (count 1)
from 8 keep-alive connections to the API in its own uvicorn process, which also authenticates, commits the
batch and its item, and answers 202. Once on SQLite and once on PostgreSQL (when reachable), each right after
its own anchor run. No worker polls the bench's task queue, so nothing but the starts costs. Prints starts
per second, p50, p99 and the API's CPU per start side by side. Figures, never assertions."""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from bench.bench_api import HOST, cpu_seconds, databases, uvicorn
from bench.loadgen import LoadResult, build_request, run_load
from contracts.generation import BATCH_WORKFLOW, BatchInput, GenerationOptions, item_concurrency_for
from contracts.search import ACCOUNT_ID, BATCH_ID, CONTENT_ID, INFLUENCER_ID, PROFILE_ID, search_attributes
from core.settings import Settings
from domain.batches import BatchKind
from store.db import create_engine, create_session_factory
from tests.utils.factories import create_influencer, create_profile, make_tenant


async def raw_starts(client: Client, task_queue: str, profile: dict[str, str], account_id: str,
                     connections: int, seconds: float) -> LoadResult:
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds
    settings = Settings()

    async def caller() -> int:
        done = 0
        while time.perf_counter() < deadline:
            batch_id = f"bat_{uuid.uuid4().hex[:16]}"
            began = time.perf_counter()
            await client.start_workflow(
                BATCH_WORKFLOW,
                BatchInput(
                    batch_id=batch_id, account_id=account_id, kind=BatchKind.CONTENT, count=1,
                    influencer_id=profile["influencerId"], profile_id=profile["id"], options=GenerationOptions(),
                    step_timeout_seconds=settings.generation_step_timeout_seconds,
                    heartbeat_timeout_seconds=settings.heartbeat_timeout_seconds,
                    item_concurrency=item_concurrency_for(settings.image_concurrency),
                ),
                id=f"batch-{batch_id}", task_queue=task_queue,
                search_attributes=search_attributes(
                    account_id, influencer_id=profile["influencerId"], profile_id=profile["id"], batch_id=batch_id
                ),
            )
            latencies.append((time.perf_counter() - began) * 1000)
            done += 1
        return done

    started = time.perf_counter()
    counts = await asyncio.gather(*(caller() for _ in range(connections)))
    return LoadResult(sum(counts), 0, time.perf_counter() - started, latencies)


async def measure_ours(
    env: WorkflowEnvironment, url: str, data_dir: str, task_queue: str, connections: int, seconds: float
) -> tuple[LoadResult, LoadResult, float]:
    """(anchor, ours, our API's CPU ms per start) against one database: the anchor right before ours, so
    the ratio compares two runs a few seconds apart on a shared machine."""
    env_vars = {
        "AUTOPERSONAS_DATABASE_URL": url, "AUTOPERSONAS_DATA_DIR": data_dir,
        "AUTOPERSONAS_RATE_LIMIT_PER_MINUTE": "100000000", "AUTOPERSONAS_LOG_LEVEL": "WARNING",
        "AUTOPERSONAS_TEMPORAL_ADDRESS": env.client.service_client.config.target_host,
        "AUTOPERSONAS_TASK_QUEUE": task_queue, "AUTOPERSONAS_REDIS_URL": "",
    }
    engine = create_engine(url)
    tenant = await make_tenant(create_session_factory(engine))
    await engine.dispose()
    with uvicorn("api.app:main_app", env_vars) as server:
        async with httpx.AsyncClient(base_url=f"http://{HOST}:{server.port}", timeout=30) as http:
            profile = await create_profile(http, tenant, (await create_influencer(http, tenant))["id"])
        body = json.dumps({"profileId": profile["id"], "count": 1}).encode()
        request = [build_request("POST", "/api/v1/content/generate", HOST,
                                 {**tenant.headers, "Content-Type": "application/json"}, body)]
        await raw_starts(env.client, task_queue, profile, tenant.account_id, connections, 1.0)  # warm up
        anchor = await raw_starts(env.client, task_queue, profile, tenant.account_id, connections, seconds)
        await run_load(HOST, server.port, request, connections=connections, seconds=1.0, warmup=0)  # warm up
        before = cpu_seconds(server.pid)
        ours = await run_load(HOST, server.port, request, connections=connections, seconds=seconds, warmup=0)
        cpu_ms = (cpu_seconds(server.pid) - before) * 1000 / max(1, ours.requests)
    return anchor, ours, cpu_ms


def _cells(result: LoadResult) -> str:
    p50 = statistics.median(result.latencies_ms) if result.latencies_ms else float("nan")
    return f"{result.rps:.1f} | {p50:.1f} ms | {result.p99:.1f} ms | {result.errors}"


async def main(seconds: float, connections: int, include_postgres: bool = True) -> None:
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=str(Path(sys.executable).parent / "temporal"),
        data_converter=pydantic_data_converter,
        search_attributes=[ACCOUNT_ID, INFLUENCER_ID, PROFILE_ID, CONTENT_ID, BATCH_ID],
        dev_server_log_level="error",
    )
    task_queue = f"bench-starts-{uuid.uuid4().hex[:8]}"
    rows: list[str] = []
    try:
        async with databases(include_postgres) as found:
            for db_label, url in found:
                with tempfile.TemporaryDirectory() as data_dir:
                    anchor, ours, cpu_ms = await measure_ours(env, url, data_dir, task_queue, connections, seconds)
                label = f"raw client.start_workflow (anchor, before the {db_label} run)"
                rows.append(f"| {label} | {_cells(anchor)} | - | - |")
                ratio = ours.rps / anchor.rps if anchor.rps else float("nan")
                rows.append(f"| POST /content/generate, {db_label} | {_cells(ours)} | {cpu_ms:.2f} | {ratio:.2f}x |")
    finally:
        await env.shutdown()
    print(f"\nStarting work: {connections} concurrent callers, {seconds:.0f} s each, one Temporal dev server")
    print("| what | starts/s | p50 | p99 | errors | API CPU ms/start | ours/anchor |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    print("\n".join(rows))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    asyncio.run(main(args.seconds, args.connections, not args.no_postgres))
