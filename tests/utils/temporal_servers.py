"""A real Temporal dev server as a child process on a data file, for tests that stop it and start it again on
the same file and port (what a restart or an outage looks like to the worker, the API and the Schedules)."""

from __future__ import annotations

import asyncio
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from contracts.search import ACCOUNT_ID, BATCH_ID, CAMPAIGN_ID, CONTENT_ID, INFLUENCER_ID, PROFILE_ID
from core.settings import Settings
from core.temporal import connect
from tests.conftest import temporal_cli
from tests.utils.servers import free_port

# Registered on every start, as the session server does, so our workflows and Schedules can carry them.
SEARCH_ATTRIBUTES = (ACCOUNT_ID, INFLUENCER_ID, PROFILE_ID, CONTENT_ID, BATCH_ID, CAMPAIGN_ID)


@contextmanager
def dev_server(db_file: Path, port: int, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """``temporal server start-dev`` persisting to ``db_file``; stopped (SIGTERM, then kill) on exit unless the
    test stopped it already."""
    command = [
        temporal_cli(), "server", "start-dev", "--headless", "--ip", "127.0.0.1", "--port", str(port),
        "--ui-port", str(free_port()), "--db-filename", str(db_file), "--log-level", "error",
    ]  # fmt: skip
    for attribute in SEARCH_ATTRIBUTES:
        command += ["--search-attribute", f"{attribute.name}=Keyword"]
    with log.open("ab") as out:
        process = subprocess.Popen(command, stdout=out, stderr=out)
    try:
        yield process
    finally:
        if process.poll() is None:
            stop_server(process)


def stop_server(
    process: subprocess.Popen[Any], timeout: float = 20.0, stop_signal: signal.Signals = signal.SIGTERM
) -> None:
    """Ask ``process`` to stop; kill it if it has not within ``timeout`` seconds."""
    process.send_signal(stop_signal)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


async def wait_healthy(settings: Settings, timeout: float = 60.0) -> None:
    """Until the server at ``settings.temporal_address`` answers its health check; a loaded machine is slow."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        try:
            client = await asyncio.wait_for(connect(settings), 3.0)
            await asyncio.wait_for(client.service_client.check_health(), 3.0)
            return
        except Exception:
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"Temporal at {settings.temporal_address} did not come up") from None
            await asyncio.sleep(0.3)
