"""The Temporal server restarts under running work: a file-persisted dev server is stopped mid-batch (and
before a scheduled publish falls due) and started again on the same data file and port. The worker (a real
process) and the API reconnect by themselves; the API answers 503 while the server is away, without naming
its address; the batch still ends with exactly ``count`` items, and the publish posts exactly once."""

from __future__ import annotations

import asyncio
import signal
import subprocess
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from core.temporal import connect
from tests.utils.factories import create_influencer, create_profile, make_tenant
from tests.utils.polling import wait_for_batch
from tests.utils.processes import start_worker
from tests.utils.publishing import approved_content, sandbox_account, sandbox_posts, wait_for_publish
from tests.utils.servers import free_port
from tests.utils.stack import running_stack, stack_settings
from tests.utils.temporal_servers import dev_server, wait_healthy

COUNT = 30


async def test_batch_survives_a_temporal_restart_and_the_api_reconnects(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    data_dir = tmp_path_factory.mktemp("temporal-restart")
    port = free_port()
    db_file = data_dir / "temporal.db"
    settings = stack_settings(data_dir, database_url, f"127.0.0.1:{port}")
    with dev_server(db_file, port, data_dir / "temporal-1.log") as first_server:
        await wait_healthy(settings)
        client = await connect(settings)
        async with running_stack(settings, client, with_worker=False) as stack:
            http = httpx.AsyncClient(base_url=stack.base_url, timeout=60)
            tenant = await make_tenant(stack.sessions)
            influencer = await create_influencer(http, tenant)
            profile = await create_profile(http, tenant, influencer["id"])
            worker = start_worker(settings, data_dir / "worker.log")
            try:
                body = {"profileId": profile["id"], "count": COUNT}
                started = await http.post("/api/v1/content/generate", json=body, headers=tenant.headers)
                assert started.status_code == 202, started.text
                batch_id = started.json()["id"]
                for _ in range(600):
                    counts = (await http.get(f"/api/v1/batches/{batch_id}", headers=tenant.headers)).json()["counts"]
                    if counts["completed"] >= 3:
                        break
                    await asyncio.sleep(0.05)
                assert counts["completed"] < COUNT, "the batch finished before the restart; the test proved nothing"

                first_server.send_signal(signal.SIGTERM)
                await asyncio.to_thread(first_server.wait, 30)

                refused = await http.post("/api/v1/content/generate", json=body, headers=tenant.headers)
                assert refused.status_code == 503, refused.text
                assert str(port) not in refused.text and "127.0.0.1" not in refused.text
                assert refused.json()["error"]["code"]
                ready = await http.get("/readyz")
                assert ready.status_code != 200

                with dev_server(db_file, port, data_dir / "temporal-2.log"):
                    await wait_healthy(settings)
                    batch = await wait_for_batch(http, tenant, batch_id, timeout=240)
                    # The API reconnected by itself: a new batch starts and completes.
                    again = await http.post(
                        "/api/v1/content/generate", json={**body, "count": 2}, headers=tenant.headers
                    )
                    assert again.status_code == 202, again.text
                    second = await wait_for_batch(http, tenant, again.json()["id"], timeout=120)
                    assert worker.poll() is None, "the worker died with the server"
            finally:
                if worker.poll() is None:
                    worker.send_signal(signal.SIGTERM)
                    try:
                        worker.wait(timeout=40)
                    except subprocess.TimeoutExpired:
                        worker.kill()
                        worker.wait()
            assert batch["status"] == "completed", batch["counts"]
            assert batch["counts"]["completed"] == COUNT
            assert second["status"] == "completed"
            listing = await http.get(
                "/api/v1/content", params={"batchId": batch_id, "limit": 100}, headers=tenant.headers
            )
            assert len({item["id"] for item in listing.json()["data"]}) == COUNT
            usage = (await http.get("/api/v1/usage", headers=tenant.headers)).json()
            image_units = sum(row["units"] for row in usage["days"] if row["action"] == "image_generation")
            assert image_units == COUNT + 2
            await http.aclose()


async def test_scheduled_publish_due_while_temporal_is_down_fires_once_after_the_restart(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    data_dir = tmp_path_factory.mktemp("temporal-restart-publish")
    port = free_port()
    db_file = data_dir / "temporal.db"
    settings = stack_settings(data_dir, database_url, f"127.0.0.1:{port}")
    with dev_server(db_file, port, data_dir / "temporal-1.log") as first_server:
        await wait_healthy(settings)
        client = await connect(settings)
        async with running_stack(settings, client, with_worker=False) as stack:
            http = httpx.AsyncClient(base_url=stack.base_url, timeout=60)
            tenant = await make_tenant(stack.sessions)
            worker = start_worker(settings, data_dir / "worker.log")
            try:
                content, profile = await approved_content(http, tenant)
                account = await sandbox_account(http, tenant, profile["id"])
                when = (datetime.now(UTC) + timedelta(seconds=6)).isoformat()
                started = await http.post(
                    f"/api/v1/content/{content['id']}/publish", json={"scheduledAt": when}, headers=tenant.headers
                )
                assert started.status_code == 202, started.text
                assert started.json()["contentStatus"] == "scheduled"

                first_server.send_signal(signal.SIGTERM)
                await asyncio.to_thread(first_server.wait, 30)
                await asyncio.sleep(8)  # the publish falls due while the server is away
                assert await sandbox_posts(http, tenant, account["id"]) == []

                with dev_server(db_file, port, data_dir / "temporal-2.log"):
                    await wait_healthy(settings)
                    status = await wait_for_publish(http, tenant, content["id"], timeout=120)
                    posts = await sandbox_posts(http, tenant, account["id"])
            finally:
                if worker.poll() is None:
                    worker.send_signal(signal.SIGTERM)
                    try:
                        worker.wait(timeout=40)
                    except subprocess.TimeoutExpired:
                        worker.kill()
                        worker.wait()
            assert status["contentStatus"] == "published", status
            assert len(posts) == 1
            await http.aclose()
