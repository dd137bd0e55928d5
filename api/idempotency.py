"""``Idempotency-Key`` on POST: the first response is stored per API key for 24 hours and replayed for a
repeat of the same request; the same key with a different request is a 422, and a repeat while the first
is still running is a 409. Responses we must not pin (5xx, 401/403/429) release the key instead."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.auth import lookup_api_key
from api.errors import error_response
from core.secrets import is_well_formed
from store.db import transaction
from store.repositories.idempotency import IdempotencyRepository
from store.types import utcnow

HEADER = b"idempotency-key"
REPLAY_HEADER = "Idempotent-Replayed"
_NOT_STORED = {401, 403, 429}
_KEPT_HEADERS = {"content-type", "location"}


def _fingerprint(method: str, path: str, query: bytes, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), query, body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp, ttl: timedelta) -> None:
        self.app = app
        self.ttl = ttl

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        raw_key = headers.get(HEADER)
        if raw_key is None:
            await self.app(scope, receive, send)
            return
        key = raw_key.decode("latin-1").strip()
        if not 1 <= len(key) <= 255:
            response = error_response(
                422, "validation_error", "Idempotency-Key must be 1 to 255 characters",
                [{"field": "Idempotency-Key", "message": "length 1..255"}],
            )
            await response(scope, receive, send)
            return
        api_key_id = await self._api_key_id(scope, headers)
        if api_key_id is None:  # let the route answer 401 as it would without the header
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive)
        request_hash = _fingerprint(scope["method"], scope["path"], scope.get("query_string", b""), body)
        await self._handle(scope, receive, send, api_key_id, key, request_hash, body)

    async def _api_key_id(self, scope: Scope, headers: dict[bytes, bytes]) -> str | None:
        auth = headers.get(b"authorization", b"").decode("latin-1")
        scheme, _, secret = auth.partition(" ")
        if scheme.lower() != "bearer" or not is_well_formed(secret.strip()):
            return None
        api_key = await lookup_api_key(scope.setdefault("state", {}), scope["app"].state, secret.strip())
        if api_key is None or api_key.revoked:
            return None
        return api_key.id

    def _sessions(self, scope: Scope) -> async_sessionmaker[AsyncSession]:
        factory: async_sessionmaker[AsyncSession] = scope["app"].state.session_factory
        return factory

    async def _handle(
        self, scope: Scope, receive: Receive, send: Send, api_key_id: str, key: str, request_hash: str, body: bytes
    ) -> None:
        factory = self._sessions(scope)
        async with transaction(factory) as session:
            repo = IdempotencyRepository(session)
            record = await repo.get(api_key_id, key)
            claimed = record is None and await repo.claim(api_key_id, key, request_hash, utcnow() + self.ttl)
            if not claimed and record is None:
                record = await repo.get(api_key_id, key)
            replay = None if record is None else (record.request_hash, record.status_code,
                                                  record.response_headers, record.response_body)
        if replay is not None:
            await self._answer_existing(scope, send, request_hash, *replay)
            return

        # Hold the response back until it is stored: a client that repeats the request the moment it
        # sees the answer must find the stored answer, not a claim still "in progress".
        messages: list[Message] = []

        async def capture(message: Message) -> None:
            messages.append(message)

        stored = False
        try:
            await self.app(scope, _replay_receive(body, receive), capture)
            start = next((m for m in messages if m["type"] == "http.response.start"), None)
            code = start["status"] if start else 500
            if start is not None and code < 500 and code not in _NOT_STORED:
                kept = {
                    name.decode("latin-1"): value.decode("latin-1")
                    for name, value in start.get("headers", [])
                    if name.decode("latin-1").lower() in _KEPT_HEADERS
                }
                content = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
                async with transaction(factory) as session:
                    await IdempotencyRepository(session).complete(api_key_id, key, code, kept, content)
                stored = True
        finally:
            if not stored:
                async with transaction(factory) as session:
                    await IdempotencyRepository(session).release(api_key_id, key)
        for message in messages:
            await send(message)

    async def _answer_existing(
        self, scope: Scope, send: Send, request_hash: str, stored_hash: str, status: int | None,
        headers: dict[str, Any], body: bytes | None,
    ) -> None:
        async def no_body() -> Message:
            return {"type": "http.request", "body": b"", "more_body": False}

        if stored_hash != request_hash:
            response = error_response(
                422, "idempotency_key_reused",
                "this Idempotency-Key was used with a different request; use a new key",
                [{"field": "Idempotency-Key", "message": "reused with a different request"}],
            )
        elif status is None:
            response = error_response(
                409, "idempotency_in_progress", "a request with this Idempotency-Key is still being processed",
                None, {"Retry-After": "1"},
            )
        else:
            await send({
                "type": "http.response.start",
                "status": status,
                "headers": [(k.encode(), str(v).encode()) for k, v in headers.items()]
                + [(REPLAY_HEADER.lower().encode(), b"true")],
            })
            await send({"type": "http.response.body", "body": body or b""})
            return
        await response(scope, no_body, send)


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            break
    return b"".join(chunks)


def _replay_receive(body: bytes, original: Receive) -> Receive:
    """Hand the buffered body to the app once, then pass through to the real channel (disconnects)."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await original()

    return receive
