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
from pathlib import Path

import httpx
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from api.batches.service import start_batch
from api.starter import WorkflowStarter
from api.temporal import TemporalGateway
from contracts.generation import DEFAULT_CHUNK_SIZE, GenerationOptions, chunk_workflow_id
from contracts.search import ACCOUNT_ID, BATCH_ID, CONTENT_ID, INFLUENCER_ID, PROFILE_ID
from domain.batches import BatchKind
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
    async with stack.sessions() as session:
        batch = await start_batch(
            WorkflowStarter(session, TemporalGateway(stack.settings, stack.client), stack.settings),
            account_id=tenant.account_id,
            kind=BatchKind.CONTENT,
            count=size,
            influencer_id=profile["influencerId"],
            profile_id=profile["id"],
            options=GenerationOptions(),
        )
        return batch.id


async def run_size(stack: Stack, http: httpx.AsyncClient, tenant: Tenant, profile: dict[str, str], size: int) -> None:
    started_at = time.perf_counter()
    batch_id = await start(stack, http, tenant, profile, size)
    batch = await wait_for_batch(http, tenant, batch_id, timeout=3600)
    elapsed = time.perf_counter() - started_at
    chunks = (size + DEFAULT_CHUNK_SIZE - 1) // DEFAULT_CHUNK_SIZE
    parent = await history_length(stack.client, batch["workflowId"])
    largest = max([await history_length(stack.client, chunk_workflow_id(batch_id, n)) for n in range(chunks)])
    print(
        f"{size:>5} items  {batch['status']:<10} wall {elapsed:7.1f} s  per item {1000 * elapsed / size:7.1f} ms  "
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
                for size in sizes:
                    await run_size(stack, http, tenant, profile, size)
    finally:
        await env.shutdown()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10,100,1000", help="comma-separated batch sizes")
    asyncio.run(main([int(s) for s in parser.parse_args().sizes.split(",")]))
