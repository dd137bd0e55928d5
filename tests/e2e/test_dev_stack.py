"""``autopersonas dev`` end to end, as a developer runs it: one command brings up Temporal, migrations,
the worker and the API; the printed key works over HTTP; ``keys create`` makes a narrower key; Ctrl-C
stops every child and exits 0."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.utils.servers import free_port
from tests.utils.temporal_servers import stop_server

READY_TIMEOUT = 120.0
STOP_TIMEOUT = 40.0
STARTED = re.compile(r"^\[dev\] started (\S+) \(pid (\d+)\)$")
API_KEY = re.compile(r"^\[dev\] API key: (ap_live_\S+)$")


@dataclass
class DevStack:
    process: subprocess.Popen[str]
    env: dict[str, str]
    cwd: Path
    api_url: str
    ui_url: str
    lines: queue.Queue[str | None]
    output: list[str] = field(default_factory=list)
    children: dict[str, int] = field(default_factory=dict)
    api_key: str = ""

    def read_until(self, marker: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"no {marker!r} within {timeout}s:\n" + "\n".join(self.output)
            try:
                line = self.lines.get(timeout=remaining)
            except queue.Empty:
                continue
            log = "\n".join(self.output)
            assert line is not None, f"dev exited ({self.process.poll()}) before {marker!r}:\n{log}"
            self.output.append(line)
            if started := STARTED.match(line):
                self.children[started.group(1)] = int(started.group(2))
            if key := API_KEY.match(line):
                self.api_key = key.group(1)
            if line.startswith(marker):
                return

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "cli", *args], env=self.env, cwd=self.cwd,
            capture_output=True, text=True, timeout=60, check=False,
        )


def clean_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUTOPERSONAS_")}
    env["AUTOPERSONAS_DATA_DIR"] = str(data_dir)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def pump(stream: Iterator[str], lines: queue.Queue[str | None]) -> None:
    """Drain the shared stdout of dev and its children, so a full pipe never blocks any of them."""
    for line in stream:
        lines.put(line.rstrip("\n"))
    lines.put(None)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@contextmanager
def dev_stack(tmp_path: Path) -> Iterator[DevStack]:
    api_port, temporal_port, ui_port = free_port(), free_port(), free_port()
    env = clean_env(tmp_path / "data")
    process = subprocess.Popen(
        [sys.executable, "-m", "cli", "dev", "--api-port", str(api_port),
         "--temporal-port", str(temporal_port), "--ui-port", str(ui_port)],
        env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
    )
    assert process.stdout is not None
    lines: queue.Queue[str | None] = queue.Queue()
    threading.Thread(target=pump, args=(process.stdout, lines), daemon=True).start()
    stack = DevStack(
        process, env, tmp_path, f"http://127.0.0.1:{api_port}", f"http://127.0.0.1:{ui_port}", lines
    )
    try:
        yield stack
    finally:
        # Only reached with processes still up when the test failed midway: stop what dev started.
        if process.poll() is None:
            stop_server(process, STOP_TIMEOUT, signal.SIGINT)
        for pid in stack.children.values():
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def check_api_over_http(stack: DevStack) -> None:
    headers = {"Authorization": f"Bearer {stack.api_key}"}
    with httpx.Client(base_url=stack.api_url, timeout=30) as http:
        ready = http.get("/readyz")
        assert ready.status_code == 200, ready.text
        assert ready.json()["checks"] == {"database": True, "temporal": True}

        body = {"name": "Mia Laurent", "personality": "warm, curious", "basePrompt": "woman, 25, auburn hair"}
        created = http.post("/api/v1/influencers", json=body, headers=headers)
        assert created.status_code == 201, created.text
        influencer_id = created.json()["id"]
        listing = http.get("/api/v1/influencers", headers=headers)
        assert listing.status_code == 200, listing.text
        assert [i["id"] for i in listing.json()["data"]] == [influencer_id]

        profile = http.post(
            "/api/v1/profiles",
            json={"name": "Mia main", "type": "ai_influencer", "influencerId": influencer_id,
                  "timezone": "UTC"},
            headers=headers,
        )
        assert profile.status_code == 201, profile.text
        account = http.post(
            "/api/v1/accounts",
            json={"platform": "sandbox", "handle": "mia", "profileId": profile.json()["id"]},
            headers=headers,
        )
        assert account.status_code == 201, account.text
        assert account.json()["profileId"] == profile.json()["id"]
        assert account.json()["handle"] == "mia"

        grades = http.get("/api/v1/config/aesthetic-grades", headers=headers)
        assert grades.status_code == 200, grades.text
        assert len(grades.json()["data"]) == 10

        deleted = http.delete(f"/api/v1/influencers/{influencer_id}", headers=headers)
        assert deleted.status_code == 204, deleted.text
        gone = http.get(f"/api/v1/influencers/{influencer_id}", headers=headers)
        assert gone.status_code == 404, gone.text


def check_temporal_ui(stack: DevStack) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            response = httpx.get(stack.ui_url, timeout=5, follow_redirects=True)
            assert response.status_code == 200, response.status_code
            assert "text/html" in response.headers.get("content-type", "")
            return
        except httpx.TransportError:
            assert time.monotonic() < deadline, f"the Temporal UI at {stack.ui_url} never answered"
            time.sleep(0.5)


def check_narrow_key(stack: DevStack) -> None:
    made = stack.cli("keys", "create", "--account", "default", "--scopes", "character:read")
    assert made.returncode == 0, made.stderr
    secret = made.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"ap_live_\S{43}", secret), made.stdout
    assert secret != stack.api_key
    headers = {"Authorization": f"Bearer {secret}"}
    with httpx.Client(base_url=stack.api_url, timeout=30) as http:
        listing = http.get("/api/v1/influencers", headers=headers)
        assert listing.status_code == 200, listing.text
        refused = http.post("/api/v1/influencers", json={"name": "Nope"}, headers=headers)
        assert refused.status_code == 403, refused.text
        assert refused.json()["error"]["code"] == "missing_scope"


def test_dev_runs_the_whole_stack_and_ctrl_c_stops_every_child(tmp_path: Path) -> None:
    with dev_stack(tmp_path) as stack:
        stack.read_until("[dev] ready", READY_TIMEOUT)
        assert set(stack.children) == {"temporal", "worker", "api"}, stack.output
        assert stack.api_key, "first run printed no API key:\n" + "\n".join(stack.output)

        check_api_over_http(stack)
        check_temporal_ui(stack)
        check_narrow_key(stack)

        stack.process.send_signal(signal.SIGINT)
        try:
            code = stack.process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired as exc:
            raise AssertionError(f"dev did not stop within {STOP_TIMEOUT}s after SIGINT") from exc
        assert code == 0, "\n".join(stack.output)
        stack.read_until("[dev] stopped", 5)
        survivors = {name: pid for name, pid in stack.children.items() if alive(pid)}
        assert not survivors, f"children outlived dev: {survivors}"
