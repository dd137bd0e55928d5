"""Counts every HTTP request and times it, by method, route template and status.

A plain ASGI middleware (no ``BaseHTTPMiddleware`` task or body copying): per request it reads the clock
twice and updates two label sets. The route template is known only after routing, which records the
matched route in the scope the router shares with us; a request no route matched counts as "unmatched"."""

from __future__ import annotations

import time

from fastapi.routing import iter_route_contexts
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.metrics.instruments import LATENCY, REQUESTS, UNMATCHED_ROUTE


class RequestMetricsMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        # FastAPI keeps included routers nested, so a matched route knows only its path inside its router
        # ("/{influencer_id}"); the full template is looked up once per route, the first time it is seen.
        self._templates: dict[int, str] = {}

    def _template(self, scope: Scope) -> str:
        route = scope.get("route")
        if route is None:
            return UNMATCHED_ROUTE
        template = self._templates.get(id(route))
        if template is None:
            app = scope.get("app")
            for context in iter_route_contexts(getattr(app, "routes", [])):
                if context.path:
                    self._templates.setdefault(id(context.original_route), context.path)
            template = self._templates.setdefault(id(route), getattr(route, "path", UNMATCHED_ROUTE))
        return template

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the client sees when the app raises before answering

        async def send_with_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_with_status)
        finally:
            labels = (scope["method"], self._template(scope), str(status))
            REQUESTS.labels(*labels).inc()
            LATENCY.labels(*labels).observe(time.perf_counter() - started)
