"""SIGTERM (what ``autopersonas dev``, systemd and Kubernetes send) drains a worker: it stops polling, lets
the activity it is running finish and record its result, and exits 0 within its grace period."""

from __future__ import annotations

import asyncio
import signal
import subprocess

import httpx
import pytest
from temporalio.testing import WorkflowEnvironment

from tests.conftest import temporal_address
from tests.utils.factories import make_tenant
from tests.utils.processes import start_worker
from tests.utils.publishing import approved_content, sandbox_account, sandbox_posts, wait_for_publish
from tests.utils.stack import running_stack, stack_settings

GRACE_SECONDS = 20.0
HOLD_SECONDS = 5


async def test_sigterm_lets_the_running_activity_finish_and_exits_zero(
    database_url: str, temporal_env: WorkflowEnvironment, tmp_path_factory: pytest.TempPathFactory
) -> None:
    data_dir = tmp_path_factory.mktemp("sigterm")
    settings = stack_settings(
        data_dir, database_url, temporal_address(temporal_env), shutdown_grace_seconds=GRACE_SECONDS
    )
    async with running_stack(settings, temporal_env.client, with_worker=False) as stack:
        http = httpx.AsyncClient(base_url=stack.base_url, timeout=30)
        tenant = await make_tenant(stack.sessions)
        first = start_worker(settings, data_dir / "worker-1.log")
        second = None
        try:
            content, profile = await approved_content(http, tenant)
            # The sandbox makes the post, then holds its answer: SIGTERM lands while create_post is running.
            account = await sandbox_account(
                http, tenant, profile["id"], {"mode": "timeout", "times": 1, "seconds": HOLD_SECONDS}
            )
            await http.post(f"/api/v1/content/{content['id']}/publish", headers=tenant.headers)
            for _ in range(200):
                if await sandbox_posts(http, tenant, account["id"]):
                    break
                await asyncio.sleep(0.05)
            first.send_signal(signal.SIGTERM)
            try:
                code = await asyncio.to_thread(first.wait, GRACE_SECONDS + 5)
            except subprocess.TimeoutExpired as exc:
                raise AssertionError(f"the worker did not exit within {GRACE_SECONDS}s of SIGTERM") from exc
            assert code == 0, (data_dir / "worker-1.log").read_text()[-3000:]

            # The drained activity's result is recorded: the post id is on the target before any retry.
            status = (await http.get(f"/api/v1/content/{content['id']}/publish/status", headers=tenant.headers)).json()
            target = status["targets"][0]
            assert target["platformPostId"], status
            assert target["attempts"] == 1, status

            second = start_worker(settings, data_dir / "worker-2.log")
            status = await wait_for_publish(http, tenant, content["id"], timeout=120)
        finally:
            for process in (first, second):
                if process is not None and process.poll() is None:
                    process.kill()
                    process.wait(timeout=10)
        target = status["targets"][0]
        assert target["status"] == "published"
        assert target["attempts"] == 1  # create_post finished in the first worker; nothing was retried
        posts = await sandbox_posts(http, tenant, account["id"])
        assert [p["id"] for p in posts] == [target["platformPostId"]]
        await http.aclose()
