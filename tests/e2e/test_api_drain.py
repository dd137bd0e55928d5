"""SIGTERM drains the API (``autopersonas api``, a real process): a request in flight when the signal
arrives is answered in full, new connections are refused, and the app shuts down cleanly. uvicorn then
re-raises the signal, so the exit status is SIGTERM's, which service managers read as a clean stop."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.api.test_slow_clients import slow_image_server
from tests.utils.factories import make_tenant
from tests.utils.processes import until_healthy
from tests.utils.servers import free_port
from tests.utils.stack import Stack


def _start_api(stack: Stack, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUTOPERSONAS_")}
    env.update(
        {
            "AUTOPERSONAS_DATA_DIR": str(stack.settings.data_dir),
            "AUTOPERSONAS_DATABASE_URL": stack.settings.resolved_database_url,
            "AUTOPERSONAS_TEMPORAL_ADDRESS": stack.settings.temporal_address,
            "AUTOPERSONAS_TASK_QUEUE": stack.settings.task_queue,
            "AUTOPERSONAS_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
            "AUTOPERSONAS_ALLOW_PRIVATE_URLS": "true",
            "AUTOPERSONAS_SHUTDOWN_GRACE_SECONDS": "30",
        }
    )
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "cli", "api", "--port", str(port)], env=env, stdout=out, stderr=out
        )


async def test_sigterm_finishes_the_request_in_flight_and_exits_zero(
    stack: Stack, tmp_path_factory: pytest.TempPathFactory
) -> None:
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log = tmp_path_factory.mktemp("api-drain") / "api.log"
    process = _start_api(stack, port, log)
    try:
        await until_healthy(base_url, process)
        tenant = await make_tenant(stack.sessions)
        async with httpx.AsyncClient(base_url=base_url, timeout=60) as http, slow_image_server() as images:
            created = await http.post("/api/v1/influencers", json={"name": "Drain"}, headers=tenant.headers)
            assert created.status_code == 201, created.text
            slow = asyncio.create_task(
                http.post(
                    f"/api/v1/influencers/{created.json()['id']}/references",
                    json={"references": [{"view": "front", "url": f"{images}/front.png"}]},
                    headers=tenant.headers,
                )
            )
            await asyncio.sleep(1.5)  # the reference is being fetched (the server takes ~8 s)
            assert not slow.done()
            process.send_signal(signal.SIGTERM)
            await asyncio.sleep(0.5)
            with pytest.raises(httpx.ConnectError):
                async with httpx.AsyncClient(base_url=base_url, timeout=2) as fresh:
                    await fresh.get("/healthz")
            answered = await slow
        exit_code = await asyncio.to_thread(process.wait, 30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert answered.status_code == 200, answered.text
    assert [ref["view"] for ref in answered.json()["referenceImages"]] == ["front"]
    assert exit_code in (0, -signal.SIGTERM)
    assert "Application shutdown complete" in log.read_text()
