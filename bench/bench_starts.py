"""Starting work: ``python -m bench.bench_starts [--seconds 5] [--connections 8] [--no-postgres]``.

One run against one Temporal dev server: the anchor is raw ``client.start_workflow`` of the batch workflow
with the same request our API sends (input, id, search attributes, the Temporal UI's summary, details and
memo), from 8 concurrent callers; ours is ``POST /content/generate`` (count 1) from 8 keep-alive
connections to the API in its own uvicorn process, which also authenticates, commits the batch and its
item, and answers 202. Between the two, a plain FastAPI + SQLAlchemy app (``bench.api_anchor``) doing the
same work over HTTP in its own uvicorn process: how far any API that records the batch before starting it
can get here, and how ours compares with it. Once on SQLite and once on PostgreSQL (when reachable). No
worker polls the bench's task queue, so nothing but the starts costs. Prints starts per second, p50 and p99
side by side, and what a start cost in CPU: in the API, in the Temporal server and in this process (the
anchor's callers, or the HTTP load generator). Figures, never assertions."""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from api.batches.service import BatchRequest, batch_launch
from bench.bench_api import HOST, databases, uvicorn
from bench.loadgen import LoadResult, build_request, run_load
from bench.processes import cpu_seconds, temporal_server_pid
from contracts.generation import GenerationOptions
from contracts.search import ACCOUNT_ID, BATCH_ID, CONTENT_ID, INFLUENCER_ID, PROFILE_ID
from core.ids import new_id
from core.settings import Settings
from domain.batches import BatchKind
from store.db import create_engine, create_session_factory
from tests.utils.factories import create_influencer, create_profile, make_tenant


async def raw_starts(client: Client, task_queue: str, profile: dict[str, str], influencer_name: str,
                     account_id: str, connections: int, seconds: float) -> LoadResult:
    """The anchor: each caller builds the launch the API builds for a batch of one (``batch_launch``) and
    starts it with the same options (``WorkflowLaunch.start_options``), so Temporal receives the same
    request, with the same summary, details and memo, as from ``POST /content/generate``."""
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds
    settings = Settings()
    request = BatchRequest(
        account_id=account_id, kind=BatchKind.CONTENT, count=1, influencer_id=profile["influencerId"],
        influencer_name=influencer_name, profile_id=profile["id"], options=GenerationOptions(),
    )

    async def caller() -> int:
        done = 0
        while time.perf_counter() < deadline:
            launch = batch_launch(settings, new_id("bat"), request)
            began = time.perf_counter()
            await client.start_workflow(launch.workflow, launch.input, **launch.start_options(task_queue))
            latencies.append((time.perf_counter() - began) * 1000)
            done += 1
        return done

    started = time.perf_counter()
    counts = await asyncio.gather(*(caller() for _ in range(connections)))
    return LoadResult(sum(counts), 0, time.perf_counter() - started, latencies)


@dataclass(frozen=True)
class Run:
    """One side's load and what each start cost in CPU: the API (ours only), the Temporal server, and this
    process (the anchor's callers, or ours' HTTP load generator)."""

    load: LoadResult
    api_cpu_ms: float | None
    server_cpu_ms: float
    caller_cpu_ms: float


@contextmanager
def cpu_meter(api_pid: int | None) -> Iterator[Callable[[LoadResult], Run]]:
    """Reads the CPU clocks around a run; the yielded function turns the run's result into a ``Run``."""
    server = temporal_server_pid()
    before = (cpu_seconds(api_pid) if api_pid else 0.0, cpu_seconds(server) if server else 0.0, time.process_time())

    def per_start(load: LoadResult) -> Run:
        starts = max(1, load.requests)
        api = (cpu_seconds(api_pid) - before[0]) * 1000 / starts if api_pid else None
        server_ms = (cpu_seconds(server) - before[1]) * 1000 / starts if server else float("nan")
        return Run(load, api, server_ms, (time.process_time() - before[2]) * 1000 / starts)

    yield per_start


async def measure_ours(
    env: WorkflowEnvironment, url: str, data_dir: str, task_queue: str, connections: int, seconds: float
) -> tuple[Run, Run, Run]:
    """(anchor, plain, ours) against one database, one right after the other, so the ratios compare runs a
    few seconds apart on a shared machine. The plain app (``bench.api_anchor``) does the start's work (key,
    profile, insert, commit, start) with no edge of ours: what any HTTP API doing this work costs here."""
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
            influencer = await create_influencer(http, tenant)
            profile = await create_profile(http, tenant, influencer["id"])
        body = json.dumps({"profileId": profile["id"], "count": 1}).encode()
        request = [build_request("POST", "/api/v1/content/generate", HOST,
                                 {**tenant.headers, "Content-Type": "application/json"}, body)]

        async def http_run(port: int, pid: int) -> Run:
            await run_load(HOST, port, request, connections=connections, seconds=1.0, warmup=0)  # warm up
            with cpu_meter(pid) as per_start:
                return per_start(
                    await run_load(HOST, port, request, connections=connections, seconds=seconds, warmup=0)
                )

        await raw_starts(env.client, task_queue, profile, influencer["name"], tenant.account_id, connections, 1.0)
        with cpu_meter(None) as per_start:
            anchor = per_start(
                await raw_starts(env.client, task_queue, profile, influencer["name"], tenant.account_id,
                                 connections, seconds)
            )
        with uvicorn("bench.api_anchor:anchor_app", env_vars) as plain_server:
            plain = await http_run(plain_server.port, plain_server.pid)
        ours = await http_run(server.port, server.pid)
    return anchor, plain, ours


def _ratio(run: Run, anchor: Run) -> str:
    return f"{run.load.rps / anchor.load.rps:.2f}x" if anchor.load.rps else "-"


def _cells(run: Run) -> str:
    result = run.load
    p50 = statistics.median(result.latencies_ms) if result.latencies_ms else float("nan")
    api = f"{run.api_cpu_ms:.2f}" if run.api_cpu_ms is not None else "-"
    return (
        f"{result.rps:.1f} | {p50:.1f} ms | {result.p99:.1f} ms | {result.errors} | {api} "
        f"| {run.server_cpu_ms:.2f} | {run.caller_cpu_ms:.2f}"
    )


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
                    anchor, plain, ours = await measure_ours(env, url, data_dir, task_queue, connections, seconds)
                label = f"raw client.start_workflow (anchor, before the {db_label} runs)"
                rows.append(f"| {label} | {_cells(anchor)} | - | - |")
                rows.append(f"| plain FastAPI + SQLAlchemy, {db_label} | {_cells(plain)} | "
                            f"{_ratio(plain, anchor)} | - |")
                rows.append(f"| POST /content/generate, {db_label} | {_cells(ours)} | {_ratio(ours, anchor)} "
                            f"| {_ratio(ours, plain)} |")
    finally:
        await env.shutdown()
    print(f"\nStarting work: {connections} concurrent callers, {seconds:.0f} s each, one Temporal dev server")
    print("| what | starts/s | p50 | p99 | errors | CPU ms/start: API | Temporal server | caller "
          "| / raw anchor | / plain API |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    print("\n".join(rows))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    asyncio.run(main(args.seconds, args.connections, not args.no_postgres))
