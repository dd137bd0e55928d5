"""Work survives its worker being killed with SIGKILL mid-run. A batch still ends with exactly ``count``
content items, no duplicates, no orphaned media and no double charges; a publish still makes one post."""

from __future__ import annotations

import asyncio
import signal
import time

import httpx
import pytest
from temporalio.testing import WorkflowEnvironment

from tests.conftest import temporal_address
from tests.utils.factories import create_influencer, create_profile, make_tenant
from tests.utils.polling import wait_for_batch
from tests.utils.processes import start_worker
from tests.utils.publishing import approved_content, sandbox_account, sandbox_posts, wait_for_publish
from tests.utils.stack import running_stack, stack_settings

COUNT = 60
# The correctness bound: after a SIGKILL, a new worker finishes the batch within a minute, because
# the dead worker's steps stop heartbeating and are retried within the heartbeat timeout (not after the
# 600 s start-to-close timeout that the steps keep).
RECOVERY_BOUND_SECONDS = 60.0


async def test_killed_worker_mid_batch_recovers_within_a_minute_with_exactly_count_items(
    database_url: str, temporal_env: WorkflowEnvironment, tmp_path_factory: pytest.TempPathFactory
) -> None:
    data_dir = tmp_path_factory.mktemp("crash")
    # Production timeouts: 600 s start-to-close, 10 s heartbeat. Only the heartbeat can make this fast.
    settings = stack_settings(data_dir, database_url, temporal_address(temporal_env))
    assert settings.generation_step_timeout_seconds == 600
    assert settings.heartbeat_timeout_seconds == 10
    async with running_stack(settings, temporal_env.client, with_worker=False) as stack:
        http = httpx.AsyncClient(base_url=stack.base_url, timeout=30)
        tenant = await make_tenant(stack.sessions)
        influencer = await create_influencer(http, tenant)
        profile = await create_profile(http, tenant, influencer["id"])
        first = start_worker(settings, data_dir / "worker-1.log")
        second = None
        try:
            started = await http.post(
                "/api/v1/content/generate", json={"profileId": profile["id"], "count": COUNT}, headers=tenant.headers
            )
            batch_id = started.json()["id"]
            done_before_kill = await _wait_for_progress(http, tenant.headers, batch_id, at_least=5)
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
            assert done_before_kill < COUNT, "the batch finished before the kill; the test proved nothing"

            running = await _running_items(http, tenant.headers, batch_id)
            assert running, "no item was running when the worker died; the test proved nothing"

            second = start_worker(settings, data_dir / "worker-2.log")
            restarted = time.monotonic()
            batch = await wait_for_batch(http, tenant, batch_id, timeout=240)
            recovery = time.monotonic() - restarted
        finally:
            for process in (first, second):
                if process is not None and process.poll() is None:
                    process.kill()
                    process.wait(timeout=10)

        print(f"batch of {COUNT} completed {recovery:.1f}s after the new worker started ({len(running)} were running)")
        assert recovery < RECOVERY_BOUND_SECONDS, f"batch took {recovery:.1f}s after the restart"
        assert batch["status"] == "completed"
        assert batch["counts"]["completed"] == COUNT
        listing = await http.get("/api/v1/content", params={"batchId": batch_id, "limit": 100}, headers=tenant.headers)
        items = listing.json()["data"]
        assert len(items) == COUNT
        assert len({item["id"] for item in items}) == COUNT

        content_root = settings.resolved_media_dir / tenant.account_id / "content"
        stored = sorted(p.relative_to(content_root).as_posix() for p in content_root.rglob("*") if p.is_file())
        expected = sorted(item["mediaUrl"].split(f"/{tenant.account_id}/content/", 1)[1] for item in items)
        assert stored == expected  # one file per item, nothing orphaned

        usage = (await http.get("/api/v1/usage", headers=tenant.headers)).json()
        image_units = sum(row["units"] for row in usage["days"] if row["action"] == "image_generation")
        assert image_units == COUNT
        await http.aclose()


async def _wait_for_progress(http: httpx.AsyncClient, headers: dict[str, str], batch_id: str, at_least: int) -> int:
    """Completed items once ``at_least`` are done and others are in flight: the kill must find work running."""
    for _ in range(600):
        batch = (await http.get(f"/api/v1/batches/{batch_id}", headers=headers)).json()
        if batch["counts"]["completed"] >= at_least and batch["counts"]["running"] >= 2:
            return int(batch["counts"]["completed"])
        await asyncio.sleep(0.05)
    raise AssertionError("the first worker made no progress")


async def _running_items(http: httpx.AsyncClient, headers: dict[str, str], batch_id: str) -> list[int]:
    batch = (await http.get(f"/api/v1/batches/{batch_id}", headers=headers)).json()
    return [int(item["position"]) for item in batch["items"] if item["status"] == "running"]


async def test_killed_worker_mid_publish_still_posts_exactly_once(
    database_url: str, temporal_env: WorkflowEnvironment, tmp_path_factory: pytest.TempPathFactory
) -> None:
    data_dir = tmp_path_factory.mktemp("crash-publish")
    settings = stack_settings(data_dir, database_url, temporal_address(temporal_env), publish_heartbeat_seconds=2)
    async with running_stack(settings, temporal_env.client, with_worker=False) as stack:
        http = httpx.AsyncClient(base_url=stack.base_url, timeout=30)
        tenant = await make_tenant(stack.sessions)
        first = start_worker(settings, data_dir / "worker-1.log")
        second = None
        try:
            content, profile = await approved_content(http, tenant)
            # The sandbox creates the post, then holds the answer: the worker dies with the post made but
            # not recorded, which is exactly the moment a naive retry would post twice.
            account = await sandbox_account(http, tenant, profile["id"], {"mode": "timeout", "times": 1, "seconds": 8})
            await http.post(f"/api/v1/content/{content['id']}/publish", headers=tenant.headers)
            for _ in range(200):
                if await sandbox_posts(http, tenant, account["id"]):
                    break
                await asyncio.sleep(0.05)
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
            second = start_worker(settings, data_dir / "worker-2.log")
            status = await wait_for_publish(http, tenant, content["id"], timeout=120)
        finally:
            for process in (first, second):
                if process is not None and process.poll() is None:
                    process.kill()
                    process.wait(timeout=10)
        assert status["targets"][0]["status"] == "published"
        assert status["targets"][0]["attempts"] >= 2
        posts = await sandbox_posts(http, tenant, account["id"])
        assert [p["id"] for p in posts] == [status["targets"][0]["platformPostId"]]
        await http.aclose()
