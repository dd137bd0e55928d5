"""An import survives its worker being killed with SIGKILL mid-import: after a new worker starts it completes
with exactly 1,000 library items (none twice, none lost), and continue-as-new keeps every run's history far
below Temporal's 10,240-event warning.

The posts are imported without media (``includeMedia: false``): the subprocess worker runs with production
URL rules (no private addresses), and what is proven here is the page cursor and the counts surviving the
kill, not downloads (the e2e test covers those)."""

from __future__ import annotations

import asyncio
import signal

import httpx
import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from tests.conftest import temporal_address
from tests.utils.factories import Tenant, create_influencer, create_profile, make_tenant
from tests.utils.imports import library, seed_history, start_import, wait_for_import
from tests.utils.processes import start_worker
from tests.utils.publishing import sandbox_account
from tests.utils.stack import running_stack, stack_settings

POSTS = 1000
HISTORY_WARNING = 10_240


async def _runs_history_lengths(client: Client, workflow_id: str) -> list[int]:
    """Event counts of every run of the workflow, newest first, following the continue-as-new chain back."""
    lengths = []
    run_id: str | None = None
    while True:
        history = await client.get_workflow_handle(workflow_id, run_id=run_id).fetch_history()
        lengths.append(len(history.events))
        first = history.events[0]
        assert first.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED
        run_id = first.workflow_execution_started_event_attributes.continued_execution_run_id or None
        if run_id is None:
            return lengths


async def _wait_for_discovered(http: httpx.AsyncClient, tenant: Tenant, job_id: str, at_least: int) -> int:
    for _ in range(1200):
        job = (await http.get(f"/api/v1/social-import/jobs/{job_id}", headers=tenant.headers)).json()
        if job["counts"]["discovered"] >= at_least:
            return int(job["counts"]["discovered"])
        await asyncio.sleep(0.05)
    raise AssertionError("the first worker never made progress")


async def test_killed_worker_mid_import_completes_with_exactly_every_post_and_small_histories(
    database_url: str, temporal_env: WorkflowEnvironment, tmp_path_factory: pytest.TempPathFactory
) -> None:
    data_dir = tmp_path_factory.mktemp("crash-import")
    settings = stack_settings(data_dir, database_url, temporal_address(temporal_env))
    async with running_stack(settings, temporal_env.client, with_worker=False) as stack:
        http = httpx.AsyncClient(base_url=stack.base_url, timeout=30)
        tenant = await make_tenant(stack.sessions)
        influencer = await create_influencer(http, tenant)
        profile = await create_profile(http, tenant, influencer["id"])
        account = await sandbox_account(http, tenant, profile["id"])
        await seed_history(stack, tenant, account["id"], POSTS)
        first = start_worker(settings, data_dir / "worker-1.log")
        second = None
        try:
            started = await start_import(http, tenant, account["id"], maxPosts=POSTS, includeMedia=False)
            assert started.status_code == 202, started.text
            job_id, workflow_id = started.json()["id"], started.json()["workflowId"]
            await _wait_for_discovered(http, tenant, job_id, at_least=100)
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
            at_kill = (await http.get(f"/api/v1/social-import/jobs/{job_id}", headers=tenant.headers)).json()
            assert at_kill["status"] == "running", "the import finished before the kill; the test proved nothing"
            assert at_kill["counts"]["discovered"] < POSTS

            second = start_worker(settings, data_dir / "worker-2.log")
            job = await wait_for_import(http, tenant, job_id, timeout=240)
        finally:
            for process in (first, second):
                if process is not None and process.poll() is None:
                    process.kill()
                    process.wait(timeout=10)

        assert job["status"] == "completed", job
        assert job["counts"] == {"discovered": POSTS, "imported": POSTS, "skipped": 0, "failed": 0}
        items = await library(http, tenant, profile["id"])
        assert len(items) == POSTS
        assert len({i["platformPostId"] for i in items}) == POSTS
        assert all(i["importJobId"] == job_id for i in items)

        lengths = await _runs_history_lengths(stack.client, workflow_id)
        print(f"import of {POSTS} posts: {len(lengths)} runs, largest history {max(lengths)} events ({lengths})")
        assert len(lengths) > 1, "the import never continued as new"
        assert max(lengths) < HISTORY_WARNING // 10
