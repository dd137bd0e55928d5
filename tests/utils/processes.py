"""Workers and API servers as real child processes, for tests that kill or outlive them."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx

from core.settings import Settings
from tests.utils.servers import free_port

REPO_ROOT = Path(__file__).resolve().parents[2]


def start_worker(
    settings: Settings, log: Path, args: Sequence[str] = (), *, extra_env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """``python -m cli worker [args]`` configured like ``settings`` (plus ``extra_env``), output appended to ``log``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUTOPERSONAS_")}
    env.update(
        {
            "AUTOPERSONAS_DATA_DIR": str(settings.data_dir),
            "AUTOPERSONAS_DATABASE_URL": settings.resolved_database_url,
            "AUTOPERSONAS_TEMPORAL_ADDRESS": settings.temporal_address,
            "AUTOPERSONAS_TASK_QUEUE": settings.task_queue,
            "AUTOPERSONAS_PUBLIC_BASE_URL": settings.public_base_url,
            "AUTOPERSONAS_SHUTDOWN_GRACE_SECONDS": str(settings.shutdown_grace_seconds),
        }
    )
    env.update(extra_env or {})
    with log.open("ab") as out:
        return subprocess.Popen([sys.executable, "-m", "cli", "worker", *args], env=env, stdout=out, stderr=out)


@contextmanager
def api_processes(count: int, env: dict[str, str], log_dir: Path) -> Iterator[list[str]]:
    """Start ``count`` real ``autopersonas api`` processes; yield their URLs once each answers /healthz."""
    processes: list[subprocess.Popen[bytes]] = []
    try:
        urls: list[str] = []
        for index in range(count):
            port = free_port()
            log = (log_dir / f"api-{index}.log").open("wb")
            processes.append(
                subprocess.Popen(
                    [sys.executable, "-m", "cli", "api", "--port", str(port)],
                    env=env,
                    cwd=REPO_ROOT,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
            urls.append(f"http://127.0.0.1:{port}")
        for process, url in zip(processes, urls, strict=True):
            wait_for_health(process, url, log_dir)
        yield urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_for_health(process: subprocess.Popen[bytes], url: str, log_dir: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            logs = "\n".join(p.read_text(errors="replace") for p in sorted(log_dir.glob("api-*.log")))
            raise AssertionError(f"API process exited with {process.returncode}:\n{logs}")
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} did not answer /healthz within {timeout}s")


async def until_healthy(base_url: str, process: subprocess.Popen[bytes], seconds: float = 90.0) -> None:
    """Wait (without blocking the event loop) until ``process`` answers /healthz at ``base_url``; a loaded
    machine can take a while to import the app. Fails at once if the process exits first."""
    async with httpx.AsyncClient(base_url=base_url, timeout=2) as http:
        for _ in range(int(seconds * 10)):
            assert process.poll() is None, "the API exited before it was up"
            try:
                if (await http.get("/healthz")).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError("the API did not come up")
