"""The stack commands and their children under hard signals: a Temporal server never outlives the
``autopersonas temporal`` or ``autopersonas dev`` that started it, even when that command is killed with
SIGKILL, and a port still held by a stale server is reported clearly instead of failing obscurely."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.utils.servers import free_port

STARTED = re.compile(r"^\[dev\] started temporal \(pid (\d+)\)$")
GONE_WITHIN = 10.0


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUTOPERSONAS_")}
    env["AUTOPERSONAS_DATA_DIR"] = str(data_dir)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _running(pid: int) -> bool:
    """Alive and not a zombie (a killed child may wait a moment for whoever adopted it to reap it)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


def _temporal_child(process: subprocess.Popen[str], timeout: float = 120.0) -> int:
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    child = 0
    seen: list[str] = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        assert line, f"exited ({process.poll()}) before Temporal was up:\n" + "".join(seen)
        seen.append(line)
        if started := STARTED.match(line.strip()):
            child = int(started.group(1))
        if line.startswith("[dev] Temporal at") or line.startswith("[dev] ready"):
            assert child, "".join(seen)
            return child
    raise AssertionError("Temporal did not come up:\n" + "".join(seen))


@pytest.mark.parametrize("command", ["temporal", "dev"])
def test_sigkilled_stack_command_takes_its_temporal_server_with_it(command: str, tmp_path: Path) -> None:
    temporal_port, ui_port = free_port(), free_port()
    args = [sys.executable, "-m", "cli", command, "--temporal-port", str(temporal_port), "--ui-port", str(ui_port)]
    if command == "dev":
        args += ["--api-port", str(free_port())]
    process = subprocess.Popen(
        args, env=_env(tmp_path / "data"), cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    child = 0
    try:
        child = _temporal_child(process)
        assert _running(child)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        deadline = time.monotonic() + GONE_WITHIN
        while _running(child) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _running(child), f"the Temporal server (pid {child}) outlived its parent"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if child and _running(child):
            os.kill(child, signal.SIGKILL)


@pytest.mark.parametrize("command", ["temporal", "dev"])
def test_taken_temporal_port_is_reported_and_exits_non_zero(command: str, tmp_path: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as stale:
        stale.bind(("127.0.0.1", 0))
        stale.listen()
        port = stale.getsockname()[1]
        args = [sys.executable, "-m", "cli", command, "--temporal-port", str(port), "--ui-port", str(free_port())]
        if command == "dev":
            args += ["--api-port", str(free_port())]
        result = subprocess.run(
            args, env=_env(tmp_path / "data"), cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False
        )
    assert result.returncode != 0
    assert f"port {port} (temporal) is already in use" in result.stderr, result.stderr
    assert f"lsof -i :{port}" in result.stderr
    assert "[dev] started" not in result.stdout
