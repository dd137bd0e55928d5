"""Dispatch: an event recorded in the outbox becomes one ``WebhookDeliveryWorkflow`` per subscribed endpoint.

Delivery ids (and so workflow ids) are derived from the event and the endpoint, and the workflow id may never
be reused: dispatching the same event twice (a retried activity, the sweep racing a prompt dispatch) starts
nothing new. The event is marked dispatched only after every start, so a crash in between leaves it to the
sweep (``WebhookActivities.sweep_undispatched``)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity
from temporalio.client import Client
from temporalio.common import WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError

from contracts.search import search_attributes
from contracts.webhooks import WEBHOOK_DELIVERY_WORKFLOW, DeliveryInput, delivery_workflow_id
from domain.webhooks import DeliveryStatus
from store.db import transaction
from store.models import WebhookDelivery
from store.repositories.webhooks import (
    WebhookDeliveryRepository,
    WebhookEndpointRepository,
    WebhookEventRepository,
    derived_id,
)


async def start_delivery(client: Client, task_queue: str, delivery_id: str, account_id: str) -> bool:
    """Start one delivery's workflow; False when that id already ran or runs."""
    try:
        await client.start_workflow(
            WEBHOOK_DELIVERY_WORKFLOW,
            DeliveryInput(delivery_id=delivery_id, account_id=account_id),
            id=delivery_workflow_id(delivery_id),
            task_queue=task_queue,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            search_attributes=search_attributes(account_id),
        )
    except WorkflowAlreadyStartedError:
        return False
    return True


async def dispatch_events(
    session_factory: async_sessionmaker[AsyncSession], client: Client, task_queue: str, event_ids: Sequence[str]
) -> list[str]:
    """Dispatch each event not dispatched yet; the ids of those this call settled."""
    dispatched: list[str] = []
    for event_id in event_ids:
        async with transaction(session_factory) as session:
            event = await WebhookEventRepository(session).get(event_id)
            if event is None or event.dispatched_at is not None:
                continue
            account_id = event.account_id
            deliveries = WebhookDeliveryRepository(session)
            delivery_ids: list[str] = []
            for endpoint in await WebhookEndpointRepository(session).subscribed(account_id, event.type):
                delivery_id = derived_id("whd", event.id, endpoint.id)
                await deliveries.ensure(
                    WebhookDelivery(
                        id=delivery_id,
                        account_id=account_id,
                        endpoint_id=endpoint.id,
                        event_id=event.id,
                        status=DeliveryStatus.PENDING,
                        workflow_id=delivery_workflow_id(delivery_id),
                    )
                )
                delivery_ids.append(delivery_id)
        for delivery_id in delivery_ids:
            await start_delivery(client, task_queue, delivery_id, account_id)
        async with transaction(session_factory) as session:
            await WebhookEventRepository(session).mark_dispatched(event_id)
        dispatched.append(event_id)
    return dispatched


async def dispatch_recorded(session_factory: async_sessionmaker[AsyncSession], event_ids: Sequence[str]) -> None:
    """Called by an activity right after committing an outcome and its events: deliver them now rather
    than at the next sweep. Never fails the caller: its outcome is committed, and an event this call could
    not dispatch (Temporal briefly unreachable) is found by the sweep."""
    if not event_ids or not activity.in_activity():
        return
    try:
        await dispatch_events(session_factory, activity.client(), activity.info().task_queue, event_ids)
    except Exception as exc:
        activity.logger.warning("webhook.dispatch_deferred events=%s error=%r", ",".join(event_ids), exc)
