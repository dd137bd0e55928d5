"""Tracing is off without ``OTEL_EXPORTER_OTLP_ENDPOINT`` and exports over OTLP/HTTP with it: a real
process configured as the API and worker configure themselves sends its spans to a local collector."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from core.tracing import OTLP_ENDPOINT_VARIABLE, configure_tracing, temporal_interceptors, tracer_provider

EXPORTING_PROCESS = """
from opentelemetry import trace
from core.tracing import configure_tracing, temporal_interceptors
provider = configure_tracing("autopersonas-probe")
assert provider is not None and len(temporal_interceptors()) == 1
with trace.get_tracer("probe").start_as_current_span("probe-span"):
    pass
provider.shutdown()  # flushes the batch processor
"""


class Collector(BaseHTTPRequestHandler):
    received: list[tuple[str, str, bytes]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        Collector.received.append((self.path, self.headers.get("Content-Type", ""), body))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def collector() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Collector)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_off_without_the_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(OTLP_ENDPOINT_VARIABLE, raising=False)
    assert configure_tracing("autopersonas-api") is None
    assert tracer_provider() is None
    assert temporal_interceptors() == ()


def test_spans_reach_the_otlp_collector(collector: str) -> None:
    Collector.received.clear()
    env = {**os.environ, OTLP_ENDPOINT_VARIABLE: collector}
    env.pop("OTEL_SERVICE_NAME", None)
    done = subprocess.run([sys.executable, "-c", EXPORTING_PROCESS], env=env, capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    [(path, content_type, body)] = Collector.received
    assert path == "/v1/traces"
    assert content_type == "application/x-protobuf"
    assert b"probe-span" in body
    assert b"autopersonas-probe" in body
