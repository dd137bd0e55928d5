"""A local server that speaks Replicate's predictions wire format for ``bench_remote``: every prediction
takes ``seconds`` to finish, at most ``capacity`` run at once (more answer 429 with ``Retry-After``), sync
mode (``Prefer: wait=N``) holds the create call until the prediction is done, and the output is a PNG as a
data URI. It counts what it saw, so the bench prints concurrency reached and 429s answered."""

from __future__ import annotations

import asyncio
import base64
import io
import itertools
import time
from dataclasses import dataclass, field
from typing import Any

from PIL import Image
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


def _png(size: int = 256) -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (size, size), (180, 90, 40)).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


@dataclass
class ReplicateLike:
    seconds: float
    capacity: int = 10_000
    running: int = 0
    peak: int = 0
    created: int = 0
    throttled: int = 0
    predictions: dict[str, float] = field(default_factory=dict)  # id -> finishes at (monotonic)
    _ids: itertools.count[int] = field(default_factory=itertools.count)
    _output: str = field(default_factory=_png)

    def _view(self, pid: str) -> dict[str, Any]:
        done = time.monotonic() >= self.predictions[pid]
        return {
            "id": pid, "status": "succeeded" if done else "processing", "output": [self._output] if done else None,
            "error": None,
        }

    async def create(self, request: Request) -> JSONResponse:
        if self.running >= self.capacity:
            self.throttled += 1
            return JSONResponse({"detail": "Request was throttled."}, status_code=429, headers={"Retry-After": "1"})
        await request.body()
        pid = f"p{next(self._ids)}"
        self.predictions[pid] = time.monotonic() + self.seconds
        self.created += 1
        self.running += 1
        self.peak = max(self.peak, self.running)
        # The prediction occupies the provider until it finishes, whether the client waits here or polls.
        asyncio.get_running_loop().call_later(self.seconds, self._finished)
        prefer = request.headers.get("prefer", "")
        if prefer.startswith("wait="):
            await asyncio.sleep(min(self.seconds, float(prefer.removeprefix("wait="))))
        return JSONResponse(self._view(pid), status_code=201)

    def _finished(self) -> None:
        self.running -= 1

    async def get(self, request: Request) -> JSONResponse:
        pid = request.path_params["pid"]
        if pid not in self.predictions:
            return JSONResponse({"detail": "Not found."}, status_code=404)
        return JSONResponse(self._view(pid))

    def app(self) -> Starlette:
        return Starlette(routes=[
            Route("/v1/models/{owner}/{name}/predictions", self.create, methods=["POST"]),
            Route("/v1/predictions/{pid}", self.get, methods=["GET"]),
        ])
