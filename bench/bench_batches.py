"""Batches on the local providers, end to end: ``python -m bench.bench_batches [--sizes 10,100,1000]``.

For each size: starts a content batch through the API on a real Temporal dev server and SQLite, waits for
it, and prints wall time, time per item and the history lengths of the parent and the largest chunk,
against Temporal's 10,240-event warning and 51,200-event limit. Figures to read, nothing asserted."""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import httpx
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from api.batches.service import BatchRequest, start_batch
from api.starter import WorkflowStarter
from api.temporal import TemporalGateway
from bench import bench_images
from bench.processes import children_rss_mb, cpu_seconds, memory_mb, temporal_server_pid
from contracts.generation import DEFAULT_CHUNK_SIZE, GenerationOptions, chunk_workflow_id
from contracts.search import ACCOUNT_ID, BATCH_ID, CONTENT_ID, INFLUENCER_ID, PROFILE_ID
from domain.batches import BatchKind
from providers.images.local.provider import LocalImageProvider
from tests.utils.databases import create_sqlite_database
from tests.utils.factories import Tenant, create_influencer, create_profile, make_tenant
from tests.utils.polling import wait_for_batch
from tests.utils.stack import Stack, running_stack, stack_settings

HISTORY_WARNING = 10_240


async def history_length(client: Client, workflow_id: str) -> int:
    history = await client.get_workflow_handle(workflow_id).fetch_history()
    return len(history.events)


async def start(stack: Stack, http: httpx.AsyncClient, tenant: Tenant, profile: dict[str, str], size: int) -> str:
    """Through the API up to its cap of 100 items; larger runs through the same service the API calls."""
    if size <= 100:
        response = await http.post(
            "/api/v1/content/generate", json={"profileId": profile["id"], "count": size}, headers=tenant.headers
        )
        return str(response.json()["id"])
    influencer = (await http.get(f"/api/v1/influencers/{profile['influencerId']}", headers=tenant.headers)).json()
    async with stack.sessions() as session:
        started = await start_batch(
            WorkflowStarter(session, TemporalGateway(stack.settings, stack.client), stack.settings),
            BatchRequest(
                account_id=tenant.account_id,
                kind=BatchKind.CONTENT,
                count=size,
                influencer_id=profile["influencerId"],
                influencer_name=influencer["name"],
                profile_id=profile["id"],
                options=GenerationOptions(),
            ),
        )
        return started.batch.id


async def render_pool_capacity(images: object, count: int = 24) -> float | None:
    """The anchor measured as the issue states it: images per second when the render pool alone keeps both
    cores drawing (``count`` images at once, nothing else running). ``None`` without a pool."""
    generate = getattr(images, "generate", None)
    if generate is None or not hasattr(images, "processes"):
        return None
    batch = bench_images.requests(count, 1024)
    started = time.perf_counter()
    await asyncio.gather(*(generate(request) for request in batch))
    return count / (time.perf_counter() - started)


async def renderer_alone_ms(count: int = 12) -> float:
    """The anchor: milliseconds per 1024x1024 image, the renderer alone on one core, in this same run."""
    provider = LocalImageProvider()
    batch = bench_images.requests(count + 1, 1024)
    await provider.generate(batch[0])
    started = time.perf_counter()
    for request in batch[1:]:
        await provider.generate(request)
    return 1000 * (time.perf_counter() - started) / count


async def run_size(
    stack: Stack,
    http: httpx.AsyncClient,
    tenant: Tenant,
    profile: dict[str, str],
    size: int,
    alone_ms: float,
    pool_capacity: float | None,
) -> None:
    server = temporal_server_pid()
    server_cpu = cpu_seconds(server) if server else 0.0
    own_cpu = time.process_time()
    batch_id = await start(stack, http, tenant, profile, size)
    # Polled once a second, as a client would: the answer lists every item, and polling it four times a
    # second took CPU from the batch it measures. The batch's own timestamps (its row's creation, then the
    # workflow's finish) time it, to the microsecond whatever the polling interval.
    batch = await wait_for_batch(http, tenant, batch_id, timeout=3600, every=1.0)
    elapsed = (datetime.fromisoformat(batch["finishedAt"]) - datetime.fromisoformat(batch["createdAt"])).total_seconds()
    # Where the cores went, per item: this process (API, worker, the bench's polling) and the Temporal
    # server; the drawing itself is the render pool's, about ``alone_ms`` per item.
    own_ms = 1000 * (time.process_time() - own_cpu) / size
    server_ms = 1000 * (cpu_seconds(server) - server_cpu) / size if server else float("nan")
    chunks = (size + DEFAULT_CHUNK_SIZE - 1) // DEFAULT_CHUNK_SIZE
    parent = await history_length(stack.client, batch["workflowId"])
    largest = max([await history_length(stack.client, chunk_workflow_id(batch_id, n)) for n in range(chunks)])
    # Capacity of the renderer alone on every core the worker's pool uses: the goal is >= 0.7 of it.
    capacity = stack.settings.image_concurrency * 1000 / alone_ms
    rss, peak = memory_mb()
    print(
        f"{size:>5} items  {batch['status']:<10} wall {elapsed:7.1f} s  per item {1000 * elapsed / size:7.1f} ms  "
        f"{size / elapsed:5.2f} items/s = {size / elapsed / capacity:.2f}x the renderer alone on "
        f"{stack.settings.image_concurrency} cores ({capacity:.2f} images/s)"
        + (f" = {size / elapsed / pool_capacity:.2f}x the pool alone ({pool_capacity:.2f} images/s)  " if pool_capacity
           else "  ")
        + f"CPU per item: API + worker {own_ms:.0f} ms, Temporal server {server_ms:.0f} ms, "
        f"drawing ~{alone_ms:.0f} ms  "
        f"memory: RSS {rss:.0f} MB (peak {peak:.0f} MB), render pool {children_rss_mb():.0f} MB  "
        f"history: parent {parent} events, largest chunk {largest} events "
        f"({100 * max(parent, largest) / HISTORY_WARNING:.1f}% of the {HISTORY_WARNING} warning)",
        flush=True,
    )


async def main(sizes: list[int]) -> None:
    temporal = str(Path(sys.executable).parent / "temporal")
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=temporal,
        data_converter=pydantic_data_converter,
        search_attributes=[ACCOUNT_ID, INFLUENCER_ID, PROFILE_ID, CONTENT_ID, BATCH_ID],
        dev_server_log_level="error",
    )
    try:
        with tempfile.TemporaryDirectory() as tmp:
            url = await create_sqlite_database(Path(tmp))
            settings = stack_settings(Path(tmp), url, env.client.service_client.config.target_host)
            async with (
                running_stack(settings, env.client) as stack,
                httpx.AsyncClient(base_url=stack.base_url, timeout=60) as http,
            ):
                tenant = await make_tenant(stack.sessions)
                influencer = await create_influencer(http, tenant)
                profile = await create_profile(http, tenant, influencer["id"])
                warm = getattr(stack.deps.images, "warm", None)
                if warm is not None:  # as the worker does at start (worker.run_worker)
                    await warm()
                alone_ms = await renderer_alone_ms()
                pool_capacity = await render_pool_capacity(stack.deps.images)
                print(f"renderer alone: {alone_ms:.0f} ms per 1024x1024 image on one core", flush=True)
                if pool_capacity:
                    print(f"render pool alone, every process drawing: {pool_capacity:.2f} images/s", flush=True)
                for size in sizes:
                    await run_size(stack, http, tenant, profile, size, alone_ms, pool_capacity)
    finally:
        await env.shutdown()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10,100,1000", help="comma-separated batch sizes")
    asyncio.run(main([int(s) for s in parser.parse_args().sizes.split(",")]))
