"""Webhook endpoints, the events outbox, deliveries and their attempts.

``record_event`` is the one way an outcome becomes an event: called inside the transaction that records the
outcome, so the event exists exactly when the outcome does. Its id is derived from the outcome's key, so a
retried activity that records the same outcome again finds the event already there."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.ids import new_id
from domain.webhooks import (
    ALL_EVENTS,
    DeliveryStatus,
    EventType,
    WebhookStatus,
    check_delivery_transition,
)
from store.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent
from store.pagination import Page, paginate
from store.repositories.base import OwnedRepository, Repository
from store.types import utcnow


def derived_id(prefix: str, *parts: str) -> str:
    """A prefixed id that is the same every time for the same parts (events, deliveries)."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:24]
    return f"{prefix}_{digest}"


async def record_event(
    session: AsyncSession, account_id: str, type: EventType, data: dict[str, Any], *, key: str | None = None
) -> WebhookEvent:
    """Add an event to the outbox in the caller's transaction (the caller commits).

    ``key`` names the outcome (``batch_id``, a publication id, ...): the same key and type give the same
    event id, so recording it twice (a retried activity) keeps one event. Without a key the id is random."""
    event_id = derived_id("evt", account_id, type.value, key) if key is not None else new_id("evt", 24)
    existing = await session.get(WebhookEvent, event_id)
    if existing is not None:
        return existing
    event = WebhookEvent(id=event_id, account_id=account_id, type=type.value, data=data, occurred_at=utcnow())
    session.add(event)
    await session.flush()
    return event


class WebhookEndpointRepository(OwnedRepository[WebhookEndpoint]):
    model = WebhookEndpoint
    noun = "webhook"

    async def list(self, account_id: str, *, limit: int, cursor: str | None) -> Page[WebhookEndpoint]:
        return await paginate(
            self.session,
            self.owned(account_id),
            created_col=WebhookEndpoint.created_at,
            id_col=WebhookEndpoint.id,
            limit=limit,
            cursor=cursor,
        )

    async def get_any(self, endpoint_id: str) -> WebhookEndpoint | None:
        return await self.session.get(WebhookEndpoint, endpoint_id)

    async def subscribed(self, account_id: str, event_type: str) -> Sequence[WebhookEndpoint]:
        """Enabled endpoints of the account that take ``event_type`` (filtered here: ``events`` is JSON)."""
        rows = await self.session.scalars(
            self.owned(account_id)
            .where(WebhookEndpoint.status == WebhookStatus.ENABLED)
            .order_by(WebhookEndpoint.created_at, WebhookEndpoint.id)
        )
        return [row for row in rows.all() if ALL_EVENTS in row.events or event_type in row.events]

    async def delete(self, endpoint: WebhookEndpoint) -> None:
        await self.session.delete(endpoint)
        await self.session.flush()


class WebhookEventRepository(Repository):
    async def get(self, event_id: str) -> WebhookEvent | None:
        return await self.session.get(WebhookEvent, event_id)

    async def undispatched(self, before: datetime, limit: int) -> Sequence[str]:
        """Events recorded before ``before`` whose dispatch never finished, oldest first."""
        rows = await self.session.scalars(
            select(WebhookEvent.id)
            .where(WebhookEvent.dispatched_at.is_(None), WebhookEvent.occurred_at < before)
            .order_by(WebhookEvent.occurred_at)
            .limit(limit)
        )
        return rows.all()

    async def mark_dispatched(self, event_id: str) -> None:
        await self.session.execute(
            update(WebhookEvent)
            .where(WebhookEvent.id == event_id, WebhookEvent.dispatched_at.is_(None))
            .values(dispatched_at=utcnow())
        )


class WebhookDeliveryRepository(OwnedRepository[WebhookDelivery]):
    model = WebhookDelivery
    noun = "delivery"

    async def get_any(self, delivery_id: str) -> WebhookDelivery | None:
        return await self.session.get(WebhookDelivery, delivery_id)

    async def ensure(self, delivery: WebhookDelivery) -> WebhookDelivery:
        """Add the delivery unless a row with its (derived) id exists; the existing row wins."""
        existing = await self.get_any(delivery.id)
        if existing is not None:
            return existing
        try:
            async with self.session.begin_nested():
                self.session.add(delivery)
        except IntegrityError:
            # A concurrent dispatch of the same event added it first.
            raced = await self.get_any(delivery.id)
            if raced is None:
                raise
            return raced
        return delivery

    async def for_endpoint(
        self, account_id: str, endpoint_id: str, *, limit: int, cursor: str | None
    ) -> Page[WebhookDelivery]:
        query = self.owned(account_id).where(WebhookDelivery.endpoint_id == endpoint_id)
        return await paginate(
            self.session,
            query,
            created_col=WebhookDelivery.created_at,
            id_col=WebhookDelivery.id,
            limit=limit,
            cursor=cursor,
        )

    async def count_redeliveries(self, delivery_id: str) -> int:
        rows = await self.session.scalars(
            select(WebhookDelivery.id).where(WebhookDelivery.redelivery_of == delivery_id)
        )
        return len(rows.all())

    async def attempts(self, delivery_ids: Sequence[str]) -> dict[str, list[WebhookAttempt]]:
        """The attempts of a page of deliveries, in one query, in order."""
        found: dict[str, list[WebhookAttempt]] = {delivery_id: [] for delivery_id in delivery_ids}
        if not delivery_ids:
            return found
        rows = await self.session.scalars(
            select(WebhookAttempt)
            .where(WebhookAttempt.delivery_id.in_(delivery_ids))
            .order_by(WebhookAttempt.delivery_id, WebhookAttempt.number)
        )
        for row in rows.all():
            found[row.delivery_id].append(row)
        return found

    async def record_attempt(self, attempt: WebhookAttempt) -> bool:
        """Add the attempt once; False when this number was already recorded (a retried activity)."""
        existing = await self.session.scalar(
            select(WebhookAttempt.id).where(
                WebhookAttempt.delivery_id == attempt.delivery_id, WebhookAttempt.number == attempt.number
            )
        )
        if existing is not None:
            return False
        self.session.add(attempt)
        await self.session.flush()
        return True

    async def mark(
        self, delivery: WebhookDelivery, status: DeliveryStatus, *, finished_at: datetime | None = None
    ) -> None:
        check_delivery_transition(delivery.status, status)
        delivery.status = status
        delivery.updated_at = utcnow()
        if finished_at is not None:
            delivery.finished_at = finished_at
        await self.session.flush()
