"""Social import from the sandbox, end to end: ``python -m bench.bench_import [--posts 500]``.

Seeds a sandbox account with N historical posts, imports it through the API on a real Temporal dev server
and SQLite, with media (a download and a stored file per post) and without, and prints posts per second and
the largest run's history length. The anchor, measured in the same run: N plain inserts of library rows
straight through the repository, one transaction each and all in one. Figures to read, nothing asserted."""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from contracts.search import ACCOUNT_ID, BATCH_ID, CONTENT_ID, INFLUENCER_ID, PROFILE_ID
from core.ids import new_id
from store.db import transaction
from store.models import MediaLibraryItem
from store.repositories.imports import MediaLibraryRepository
from tests.utils.databases import create_sqlite_database
from tests.utils.factories import Tenant, create_influencer, create_profile, make_tenant
from tests.utils.imports import seed_history, start_import, wait_for_import
from tests.utils.publishing import sandbox_account
from tests.utils.stack import Stack, running_stack, stack_settings

HISTORY_WARNING = 10_240


async def largest_run(client: Client, workflow_id: str) -> tuple[int, int]:
    """(runs, events of the largest run), following the continue-as-new chain back from the last run."""
    lengths = []
    run_id: str | None = None
    while True:
        history = await client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history()
        lengths.append(len(history.events))
        first = history.events[0]
        assert first.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED
        run_id = first.workflow_execution_started_event_attributes.continued_execution_run_id or None
        if run_id is None:
            return len(lengths), max(lengths)


async def run_import(stack: Stack, http: httpx.AsyncClient, tenant: Tenant, posts: int, media: bool) -> None:
    influencer = await create_influencer(http, tenant)
    profile = await create_profile(http, tenant, influencer["id"])
    account = await sandbox_account(http, tenant, profile["id"])
    await seed_history(stack, tenant, account["id"], posts)
    started_at = time.perf_counter()
    started = await start_import(http, tenant, account["id"], maxPosts=posts, includeMedia=media)
    job = await wait_for_import(http, tenant, started.json()["id"], timeout=3600)
    elapsed = time.perf_counter() - started_at
    runs, largest = await largest_run(stack.client, job["workflowId"])
    label = "with media" if media else "no media"
    print(
        f"import {posts:>5} posts {label:<10} {job['status']:<10} wall {elapsed:7.1f} s  "
        f"{posts / elapsed:7.1f} posts/s  {runs} runs, largest {largest} events "
        f"({100 * largest / HISTORY_WARNING:.1f}% of the {HISTORY_WARNING} warning)",
        flush=True,
    )


async def anchor(stack: Stack, http: httpx.AsyncClient, tenant: Tenant, posts: int) -> None:
    influencer = await create_influencer(http, tenant)
    profile = await create_profile(http, tenant, influencer["id"])
    account = await sandbox_account(http, tenant, profile["id"])

    def row(n: int, tag: str) -> MediaLibraryItem:
        return MediaLibraryItem(
            id=new_id("med"),
            account_id=tenant.account_id,
            profile_id=profile["id"],
            social_account_id=account["id"],
            platform="sandbox",
            platform_post_id=f"{tag}-{n}",
            media_type="text",
            caption="anchor",
            posted_at=datetime.now(UTC),
        )

    started_at = time.perf_counter()
    for n in range(posts):
        async with transaction(stack.sessions) as session:
            await MediaLibraryRepository(session).insert_new(row(n, "one"))
    each = time.perf_counter() - started_at
    started_at = time.perf_counter()
    async with transaction(stack.sessions) as session:
        repo = MediaLibraryRepository(session)
        for n in range(posts):
            await repo.insert_new(row(n, "all"))
    together = time.perf_counter() - started_at
    print(
        f"anchor {posts:>5} plain library inserts: one transaction each {posts / each:8.1f} rows/s, "
        f"all in one {posts / together:8.1f} rows/s",
        flush=True,
    )


async def main(posts: int) -> None:
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
                await anchor(stack, http, tenant, posts)
                await run_import(stack, http, tenant, posts, media=False)
                await run_import(stack, http, tenant, posts, media=True)
    finally:
        await env.shutdown()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=500, help="posts in the seeded history")
    asyncio.run(main(parser.parse_args().posts))
