"""``autopersonas api`` with ``LOG_FORMAT=json`` (a real process): uvicorn's access lines come out as JSON
through our formatter, with the request id the caller sent and the account of the key it used."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.utils.factories import make_tenant
from tests.utils.processes import until_healthy
from tests.utils.servers import free_port
from tests.utils.stack import Stack


def _start_json_api(stack: Stack, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUTOPERSONAS_")}
    env.update(
        {
            "AUTOPERSONAS_DATA_DIR": str(stack.settings.data_dir),
            "AUTOPERSONAS_DATABASE_URL": stack.settings.resolved_database_url,
            "AUTOPERSONAS_TEMPORAL_ADDRESS": stack.settings.temporal_address,
            "AUTOPERSONAS_LOG_FORMAT": "json",
        }
    )
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "cli", "api", "--port", str(port)], env=env, stdout=out, stderr=out
        )


async def test_access_lines_are_json_with_request_and_account(
    stack: Stack, tmp_path_factory: pytest.TempPathFactory
) -> None:
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log = tmp_path_factory.mktemp("json-logs") / "api.log"
    process = _start_json_api(stack, port, log)
    try:
        await until_healthy(base_url, process)
        tenant = await make_tenant(stack.sessions)
        async with httpx.AsyncClient(base_url=base_url, timeout=10) as http:
            listed = await http.get(
                "/api/v1/influencers?limit=5", headers={**tenant.headers, "X-Request-ID": "req-json-1"}
            )
            assert listed.status_code == 200
            assert listed.headers["x-request-id"] == "req-json-1"
        await asyncio.sleep(0.5)  # the access line is written as the response goes out
    finally:
        process.terminate()
        await asyncio.to_thread(process.wait, 30)
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    [access] = [line for line in lines if line.get("request_id") == "req-json-1"]
    assert access["logger"] == "uvicorn.access"
    assert access["account_id"] == tenant.account_id
    assert access["level"] == "info"
    assert '"GET /api/v1/influencers HTTP/1.1" 200' in str(access["event"])  # query string stripped
    assert not [line for line in log.read_text().splitlines() if line.startswith("INFO:")]  # no plain lines
