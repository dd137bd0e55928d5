"""Binds the request id to every log line written while a request is handled (auth adds the account id).

It sits just inside ``RequestIdMiddleware``, which chose the id; both values are dropped when the request
ends, so nothing leaks into the next request handled on the same connection."""

from __future__ import annotations

import structlog
from starlette.types import ASGIApp, Receive, Scope, Send

from core.logging import log_context


class LogContextMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = scope.get("state", {}).get("request_id", "")
        try:
            with log_context(request_id=request_id):
                await self.app(scope, receive, send)
        finally:
            structlog.contextvars.unbind_contextvars("account_id")
