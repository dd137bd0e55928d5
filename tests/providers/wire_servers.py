"""Real HTTP servers on 127.0.0.1 free ports that speak the providers' wire formats, so adapter tests go
through real sockets, real timeouts and real status codes. Each fake records every request it gets, and
``queue`` lets a test put canned replies (429, 500, slow answers...) in front of the normal behaviour."""

from __future__ import annotations

import asyncio
import base64
import io
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from PIL import Image


@dataclass
class Recorded:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0

    @classmethod
    def of_json(cls, value: Any, status: int = 200, **kwargs: Any) -> Reply:
        headers = {"Content-Type": "application/json", **kwargs.pop("headers", {})}
        return cls(status=status, body=json.dumps(value).encode(), headers=headers, **kwargs)


async def wait_until(condition: Callable[[], object], within: float = 5.0) -> None:
    """Let the event loop run until ``condition()`` holds (something a server thread records)."""
    for _ in range(int(within / 0.005)):
        if condition():
            return
        await asyncio.sleep(0.005)
    raise AssertionError(f"condition not met within {within}s")


def png_bytes(width: int, height: int, color: tuple[int, int, int] = (180, 90, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, format="PNG")
    return buffer.getvalue()


class WireServer:
    """A ThreadingHTTPServer in a daemon thread; ``handler`` answers each recorded request."""

    def __init__(self, handler: Callable[[Recorded], Reply], host: str = "127.0.0.1") -> None:
        self.handler = handler
        self.host = host
        self.requests: list[Recorded] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer((host, 0), self._handler_class())
        self._server.block_on_close = False  # A handler still sleeping past a client timeout must not block.
        # A short poll interval: shutdown() waits up to one interval, once per test.
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self._server.server_address[1]}"

    def __enter__(self) -> WireServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def requests_to(self, method: str, path_pattern: str) -> list[Recorded]:
        with self._lock:
            return [r for r in self.requests if r.method == method and re.fullmatch(path_pattern, r.path)]

    def _record(self, request: Recorded) -> None:
        with self._lock:
            self.requests.append(request)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        wire = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return None  # Quiet test output; requests are recorded instead.

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                path, _, query = self.path.partition("?")
                request = Recorded(
                    method=self.command,
                    path=path,
                    query=query,
                    headers={name.lower(): value for name, value in self.headers.items()},
                    body=self.rfile.read(length) if length else b"",
                )
                wire._record(request)
                reply = wire.handler(request)
                time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    if "Content-Length" not in reply.headers:
                        self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    if self.command != "HEAD":
                        self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True  # The client gave up (timeout test); nothing to answer.

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _serve

        return Handler


def chat_completion(content: str | None, *, finish_reason: str = "stop", refusal: str | None = None) -> Reply:
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if refusal is not None:
        message["refusal"] = refusal
    return Reply.of_json(
        {
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "choices": [{"index": 0, "message": message, "finish_reason": finish_reason}],
        }
    )


def openai_error(status: int, message: str, code: str | None = None, **kwargs: Any) -> Reply:
    error = {"message": message, "type": "invalid_request_error", "code": code}
    return Reply.of_json({"error": error}, status=status, **kwargs)


DEFAULT_ANSWERS: dict[str, Any] = {
    "CaptionResult": {"caption": "Golden light, slow Sunday.", "hashtags": ["#sunday", "#goldenhour"]},
    "WardrobeResult": {
        "items": [
            {"name": f"Linen shirt {i}", "category": "top", "description": "airy", "colors": ["white"]}
            for i in range(8)
        ]
    },
    "ContentDirectionResult": {
        "directions": [
            {
                "title": f"Direction {i}",
                "description": "cafe mornings",
                "moods": ["calm"],
                "settings": ["cafe"],
                "hashtags": ["#coffee"],
            }
            for i in range(5)
        ]
    },
    "VisionAnswer": {
        "base_prompt": "woman in her late twenties, shoulder-length auburn hair, freckles, relaxed style",
        "wardrobe_suggestions": [
            {"name": "Denim jacket", "category": "outerwear", "description": "washed", "colors": ["blue"]}
        ],
    },
}


class OpenAIFake:
    """Image generations and chat completions behind a Bearer key; ``/files/*`` served without one."""

    def __init__(self, api_key: str = "sk-test") -> None:
        self.api_key = api_key
        self.queue: list[Reply] = []
        self.chat_answers: list[str] = []
        self.image_mode = "b64"
        self.files: dict[str, bytes] = {}
        self.server = WireServer(self)

    def __call__(self, request: Recorded) -> Reply:
        if request.path.startswith("/files/"):
            data = self.files.get(request.path.removeprefix("/files/"))
            return Reply(200, data, {"Content-Type": "image/png"}) if data else Reply(404)
        if request.headers.get("authorization") != f"Bearer {self.api_key}":
            return openai_error(401, "Incorrect API key provided", "invalid_api_key")
        if self.queue:
            return self.queue.pop(0)
        if request.path == "/v1/images/generations":
            body = request.json()
            width, height = (int(v) for v in body["size"].split("x"))
            data = png_bytes(width, height)
            if self.image_mode == "url":
                name = f"img{len(self.files)}.png"
                self.files[name] = data
                return Reply.of_json(
                    {"created": 1, "data": [{"url": f"{self.server.base_url}/files/{name}"}]}
                )
            return Reply.of_json({"created": 1, "data": [{"b64_json": base64.b64encode(data).decode()}]})
        if request.path == "/v1/chat/completions":
            if self.chat_answers:
                return chat_completion(self.chat_answers.pop(0))
            schema_name = request.json()["response_format"]["json_schema"]["name"]
            return chat_completion(json.dumps(DEFAULT_ANSWERS[schema_name]))
        return openai_error(404, f"Unknown path {request.path}")


class ReplicateFake:
    """Replicate's predictions API: each prediction walks through ``statuses``, one step per poll."""

    def __init__(self, token: str = "r8-test") -> None:
        self.token = token
        self.queue: list[Reply] = []
        self.statuses = ["starting", "processing", "succeeded"]
        self.error: str | None = None
        self.output_size = (768, 512)
        self.predictions: dict[str, dict[str, Any]] = {}
        self.cancelled: list[str] = []
        self.server = WireServer(self)

    def _view(self, pid: str) -> dict[str, Any]:
        state = self.predictions[pid]
        status = "canceled" if state["canceled"] else state["steps"][state["step"]]
        base = self.server.base_url
        return {
            "id": pid,
            "model": state["model"],
            "version": state["version"],
            "input": state["input"],
            "status": status,
            "error": self.error if status == "failed" else None,
            "output": [f"{base}/files/{pid}.png"] if status == "succeeded" else None,
            "urls": {"get": f"{base}/v1/predictions/{pid}", "cancel": f"{base}/v1/predictions/{pid}/cancel"},
        }

    def __call__(self, request: Recorded) -> Reply:
        if request.path.startswith("/files/"):
            return Reply(200, png_bytes(*self.output_size), {"Content-Type": "image/png"})
        if request.headers.get("authorization") != f"Bearer {self.token}":
            return Reply.of_json({"title": "Unauthenticated", "detail": "Invalid token.", "status": 401}, 401)
        if self.queue:
            return self.queue.pop(0)
        created = re.fullmatch(r"/v1/models/([^/]+)/([^/]+)/predictions", request.path)
        if request.method == "POST" and (created or request.path == "/v1/predictions"):
            body = request.json()
            pid = f"pred{len(self.predictions) + 1}"
            steps = list(self.statuses)
            self.predictions[pid] = {
                "model": f"{created[1]}/{created[2]}" if created else "owner/versioned",
                "version": body.get("version", "official"),
                "input": body["input"],
                "steps": steps,
                # Sync mode answers with the prediction as it stands when the model is done.
                "step": len(steps) - 1 if request.headers.get("prefer", "").startswith("wait") else 0,
                "canceled": False,
            }
            return Reply.of_json(self._view(pid), 201)
        polled = re.fullmatch(r"/v1/predictions/([^/]+)(/cancel)?", request.path)
        if polled and polled[1] in self.predictions:
            state = self.predictions[polled[1]]
            if polled[2]:
                state["canceled"] = True
                self.cancelled.append(polled[1])
            elif request.method == "GET":
                state["step"] = min(state["step"] + 1, len(state["steps"]) - 1)
            return Reply.of_json(self._view(polled[1]))
        return Reply.of_json({"title": "Not found", "detail": "Not found.", "status": 404}, 404)
