"""Peak memory of the API under oversized bodies: ``python -m bench.bench_body_caps``.

Starts ``autopersonas api`` in a subprocess on a throwaway SQLite database, twice: once with the body caps
lifted (``AUTOPERSONAS_MAX_BODY_BYTES`` / ``MAX_MULTIPART_BYTES`` set far above the bodies, which is how the
API behaved before it had caps) and once with the defaults. Each time it sends a 200 MB multipart upload to
``POST /api/v1/content`` and a 100 MB JSON body with an ``Idempotency-Key`` to ``POST /api/v1/influencers``,
and prints the API process's peak RSS (``VmHWM`` in ``/proc/<pid>/status``) before and after each request.
Figures only: nothing here asserts a number.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time

import httpx

from bench.processes import memory_mb

MB = 1024 * 1024
UNCAPPED = str(1024**4)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run([sys.executable, "-m", "cli", *args], env=env, capture_output=True, text=True, check=True)
    return done.stdout


def _send(client: httpx.Client, label: str, **kwargs: object) -> str:
    try:
        response = client.post(**kwargs)  # type: ignore[arg-type]
    except httpx.HTTPError as exc:  # a server that refuses early may close while we are still sending
        return f"{label}: connection ended while sending ({type(exc).__name__})"
    return f"{label}: HTTP {response.status_code}"


def measure(capped: bool, upload_mb: int, json_mb: int) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-caps-") as data_dir:
        env = {**os.environ, "AUTOPERSONAS_DATA_DIR": data_dir, "AUTOPERSONAS_LOG_LEVEL": "WARNING",
               "AUTOPERSONAS_TEMPORAL_ADDRESS": f"127.0.0.1:{_free_port()}"}  # fmt: skip
        if not capped:
            env |= {"AUTOPERSONAS_MAX_BODY_BYTES": UNCAPPED, "AUTOPERSONAS_MAX_MULTIPART_BYTES": UNCAPPED}
        _run(["db", "upgrade"], env)
        secret = _run(["keys", "create", "--account", "bench"], env).strip().splitlines()[-1]
        port = _free_port()
        api = subprocess.Popen(
            [sys.executable, "-m", "cli", "api", "--host", "127.0.0.1", "--port", str(port)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(f"{base}/healthz").status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError("the API did not start")
                time.sleep(0.2)
            headers = {"Authorization": f"Bearer {secret}"}
            title = "caps on (defaults)" if capped else "caps lifted (as before the fix)"
            print(f"\n{title}: API pid {api.pid}")
            with httpx.Client(base_url=base, timeout=300, headers=headers) as client:
                before = memory_mb(api.pid)[1]
                outcome = _send(
                    client, f"{upload_mb} MB multipart upload", url="/api/v1/content",
                    files={"file": ("big.png", b"\x89PNG" + b"\0" * (upload_mb * MB), "image/png")},
                    data={"caption": "bench", "profileId": "prof_bench"},
                )
                after = memory_mb(api.pid)[1]
                print(f"  {outcome}; peak RSS {before:.0f} MB before, {after:.0f} MB after")
                body = b'{"name": "' + b" " * (json_mb * MB) + b'"}'
                before = after
                outcome = _send(
                    client, f"{json_mb} MB JSON with Idempotency-Key", url="/api/v1/influencers",
                    content=body, headers={"Content-Type": "application/json", "Idempotency-Key": "bench-big"},
                )
                after = memory_mb(api.pid)[1]
                print(f"  {outcome}; peak RSS {before:.0f} MB before, {after:.0f} MB after")
        finally:
            api.terminate()
            api.wait(timeout=30)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--upload-mb", type=int, default=200)
    parser.add_argument("--json-mb", type=int, default=100)
    args = parser.parse_args(argv)
    measure(capped=False, upload_mb=args.upload_mb, json_mb=args.json_mb)
    measure(capped=True, upload_mb=args.upload_mb, json_mb=args.json_mb)


if __name__ == "__main__":
    main()
