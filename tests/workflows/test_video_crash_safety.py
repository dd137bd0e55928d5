"""A video job survives its worker being killed with SIGKILL mid-render: after a new worker starts, the job
completes with one stored video (one MP4, one poster) and one charge."""

from __future__ import annotations

import asyncio
import signal

import httpx
import pytest
from temporalio.testing import WorkflowEnvironment

from tests.api.test_content import upload_content
from tests.conftest import temporal_address
from tests.e2e.test_video import textured_png
from tests.utils.factories import create_influencer, create_profile, make_tenant
from tests.utils.polling import wait_for_job
from tests.utils.processes import start_worker
from tests.utils.stack import running_stack, stack_settings


async def test_killed_worker_mid_render_completes_with_one_file_and_one_charge(
    database_url: str, temporal_env: WorkflowEnvironment, tmp_path_factory: pytest.TempPathFactory
) -> None:
    data_dir = tmp_path_factory.mktemp("crash-video")
    # Full-size renders (the worker subprocess uses the default scale): long enough to be killed in the middle.
    settings = stack_settings(data_dir, database_url, temporal_address(temporal_env))
    renders = settings.resolved_video_cache_dir
    async with running_stack(settings, temporal_env.client, with_worker=False) as stack:
        http = httpx.AsyncClient(base_url=stack.base_url, timeout=30)
        tenant = await make_tenant(stack.sessions)
        influencer = await create_influencer(http, tenant)
        profile = await create_profile(http, tenant, influencer["id"])
        content = await upload_content(http, tenant, profile["id"], image=textured_png())
        first = start_worker(settings, data_dir / "worker-1.log")
        second = None
        try:
            started = await http.post(
                f"/api/v1/content/{content['id']}/video", json={"durationSeconds": 3}, headers=tenant.headers
            )
            assert started.status_code == 202, started.text
            job_id = started.json()["id"]
            # The local renderer works in a scratch directory and renames it into place when done: kill the
            # worker while the scratch directory exists, i.e. in the middle of the render.
            for _ in range(2400):
                if renders.exists() and any(p.name.startswith(".render-") for p in renders.iterdir()):
                    break
                await asyncio.sleep(0.05)
            else:
                raise AssertionError("the first worker never started rendering")
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
            finished = [p for p in renders.iterdir() if not p.name.startswith(".")]
            assert not finished, "the render finished before the kill; the test proved nothing"

            second = start_worker(settings, data_dir / "worker-2.log")
            job = await wait_for_job(http, tenant, job_id, timeout=240)
        finally:
            for process in (first, second):
                if process is not None and process.poll() is None:
                    process.kill()
                    process.wait(timeout=10)

        assert job["status"] == "completed", job
        item = (await http.get(f"/api/v1/content/{content['id']}", headers=tenant.headers)).json()
        assert item["mediaType"] == "video"
        video_dir = settings.resolved_media_dir / tenant.account_id / "content" / content["id"] / "video"
        stored = sorted(p.name for p in video_dir.iterdir())
        assert stored == sorted(u.rsplit("/", 1)[1] for u in (item["video"]["url"], item["video"]["posterUrl"]))
        assert [p.suffix for p in sorted(video_dir.iterdir(), key=lambda p: p.suffix)] == [".jpg", ".mp4"]

        usage = (await http.get("/api/v1/usage", headers=tenant.headers)).json()
        rows = [row for row in usage["days"] if row["action"] == "video_generation"]
        assert sum(row["count"] for row in rows) == 1
        assert sum(row["units"] for row in rows) == 3
        await http.aclose()
