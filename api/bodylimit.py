"""Request body caps, before anything reads a body: a ``Content-Length`` above the cap is refused at once,
unread; a body without one (chunked) is counted as it streams and refused the moment it passes the cap.

It sits outside the idempotency middleware, which buffers a body to fingerprint it, so nothing in the app
ever holds more than the cap in memory. Multipart uploads get their own, larger cap (files per request x
per-file cap + slack); every other body (JSON) the small one."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import error_response


class BodyTooLarge(HTTPException):
    """Raised from the capped ``receive``. An ``HTTPException``, so a route reading its body renders it as
    413 through the one error handler; this middleware answers it when a middleware was reading instead."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body is larger than the limit of {limit} bytes", {"Connection": "close"})
        self.limit = limit
        self.details = {"limitBytes": limit}


class BodySizeLimitMiddleware:
    def __init__(self, app: ASGIApp, max_body_bytes: int, max_multipart_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_multipart_bytes = max_multipart_bytes

    def limit_for(self, headers: dict[bytes, bytes]) -> int:
        content_type = headers.get(b"content-type", b"").lower()
        return self.max_multipart_bytes if content_type.startswith(b"multipart/") else self.max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        limit = self.limit_for(headers)
        declared = headers.get(b"content-length")
        if declared is not None and declared.strip().isdigit() and int(declared) > limit:
            await _too_large(scope, send, limit)
            return

        received = 0

        async def capped_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        started = False

        async def watch_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, capped_receive, watch_send)
        except BodyTooLarge:
            if started:
                raise
            await _too_large(scope, send, limit)


async def _too_large(scope: Scope, send: Send, limit: int) -> None:
    async def no_body() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    response = error_response(
        413, "payload_too_large", f"request body is larger than the limit of {limit} bytes",
        {"limitBytes": limit}, {"Connection": "close"},
    )
    await response(scope, no_body, send)
