"""Serve an ASGI app with uvicorn on a free 127.0.0.1 port in a background thread, and the pieces every
platform fake shares: queued failures and PKCE checks."""

from __future__ import annotations

import socket
import threading
import time
from collections import defaultdict
from types import TracebackType

import uvicorn
from fastapi import FastAPI


class LiveServer:
    def __init__(self, app: FastAPI) -> None:
        self._app = app
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.url = ""

    def __enter__(self) -> LiveServer:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        config = uvicorn.Config(self._app, log_level="warning", lifespan="off", access_log=False)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]}, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("fake platform server did not start")
            time.sleep(0.01)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        assert self._server is not None and self._thread is not None
        self._server.should_exit = True
        self._thread.join(timeout=10)


class FailureQueue:
    """Failures a test asks for, per operation, answered in order before the normal behaviour."""

    def __init__(self) -> None:
        self._queued: dict[str, list[str]] = defaultdict(list)
        self._lock = threading.Lock()

    def add(self, operation: str, kind: str, times: int = 1) -> None:
        with self._lock:
            self._queued[operation].extend([kind] * times)

    def take(self, operation: str) -> str | None:
        with self._lock:
            queued = self._queued.get(operation)
            return queued.pop(0) if queued else None

    def clear(self) -> None:
        with self._lock:
            self._queued.clear()
