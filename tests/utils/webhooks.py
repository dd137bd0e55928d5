"""A webhook receiver on a real socket for tests: it records every request (headers and raw body) and
answers from a script of status codes, then 200s; plus helpers to register an endpoint and wait for a
delivery over the API."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from contracts.webhooks import delivery_workflow_id
from domain.webhooks import DeliveryStatus, EventType
from store.db import transaction
from store.models import WebhookDelivery
from store.repositories.webhooks import derived_id, record_event
from tests.utils.factories import Tenant
from tests.utils.servers import serve_in_thread


@dataclass(frozen=True)
class Received:
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """ASGI app: answers ``script`` in order (a status, or a status with headers), then 200."""

    script: list[int | tuple[int, dict[str, str]]] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = (await receive())["type"]
                await send({"type": f"{message}.complete"})
                if message == "lifespan.shutdown":
                    return
        request = Request(scope, receive)
        self.received.append(Received(headers=dict(request.headers), body=await request.body()))
        answer = self.script.pop(0) if self.script else 200
        status, headers = answer if isinstance(answer, tuple) else (answer, {})
        await Response(status_code=status, headers=headers)(scope, receive, send)


@contextmanager
def running_receiver(
    script: Sequence[int | tuple[int, dict[str, str]]] = (), port: int | None = None
) -> Iterator[tuple[Receiver, str]]:
    receiver = Receiver(script=list(script))
    with serve_in_thread(receiver, port) as base_url:
        yield receiver, f"{base_url}/hooks"


async def register_webhook(
    http: httpx.AsyncClient, tenant: Tenant, url: str, events: Sequence[str] = ("*",)
) -> dict[str, Any]:
    response = await http.post("/api/v1/webhooks", json={"url": url, "events": list(events)}, headers=tenant.headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def wait_for_deliveries(
    http: httpx.AsyncClient, tenant: Tenant, webhook_id: str, *, settled: int = 1, timeout: float = 120.0
) -> list[dict[str, Any]]:
    """The endpoint's deliveries once ``settled`` of them have succeeded or failed."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        response = await http.get(f"/api/v1/webhooks/{webhook_id}/deliveries", headers=tenant.headers)
        assert response.status_code == 200, response.text
        deliveries: list[dict[str, Any]] = response.json()["data"]
        if sum(d["status"] in ("succeeded", "failed") for d in deliveries) >= settled:
            return deliveries
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"webhook {webhook_id}: deliveries not settled after {timeout}s: {deliveries}")
        await asyncio.sleep(0.25)


async def create_delivery(sessions: async_sessionmaker[AsyncSession], account_id: str, webhook_id: str) -> str:
    """A settled delivery of a recorded event, written straight to the database (no workflow runs)."""
    async with transaction(sessions) as session:
        event = await record_event(session, account_id, EventType.BATCH_COMPLETED, {"id": "bat_probe"})
        delivery_id = derived_id("whd", event.id, webhook_id)
        session.add(
            WebhookDelivery(
                id=delivery_id,
                account_id=account_id,
                endpoint_id=webhook_id,
                event_id=event.id,
                status=DeliveryStatus.SUCCEEDED,
                workflow_id=delivery_workflow_id(delivery_id),
            )
        )
    return delivery_id
