"""Contracts of webhook delivery: the workflow names and ids, one delivery's input and result, one attempt's
input and outcome, and the periodic sweep of events whose dispatch never finished."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from contracts.base import Contract
from domain.webhooks import AttemptVerdict, DeliveryStatus

WEBHOOK_DELIVERY_WORKFLOW = "WebhookDeliveryWorkflow"
WEBHOOK_SWEEP_WORKFLOW = "DispatchWebhookEventsWorkflow"

SWEEP_EVERY_MINUTES = 1
# An event not dispatched this long after it was recorded lost its prompt dispatch (a crash right after the
# commit); younger ones are still being dispatched by the activity that recorded them.
UNDISPATCHED_AFTER_SECONDS = 30


def delivery_workflow_id(delivery_id: str) -> str:
    """Delivery ids are derived from the event and the endpoint, so this id is too: a second dispatch of the
    same event to the same endpoint is refused by Temporal."""
    return f"webhook-delivery-{delivery_id}"


def sweep_schedule_id(task_queue: str) -> str:
    return f"{task_queue}-dispatch-webhook-events"


class DeliveryInput(Contract):
    delivery_id: str
    account_id: str


class DeliveryResult(Contract):
    delivery_id: str
    status: DeliveryStatus
    attempts: int


class AttemptInput(Contract):
    delivery_id: str
    number: int = Field(ge=1)
    attempted_at: datetime
    """Workflow time of the attempt: the retry window, rotation overlap and disabling are judged on it."""
    deadline: datetime
    """No attempt is scheduled after this; the delivery fails instead."""


class AttemptOutcome(Contract):
    verdict: AttemptVerdict
    status_code: int | None = None
    next_delay_seconds: float | None = None
    """When to try again; ``None`` when the delivery is settled (delivered, stopped, or out of time)."""


class SweepInput(Contract):
    task_queue: str
    older_than_seconds: int = Field(default=UNDISPATCHED_AFTER_SECONDS, ge=0)
    limit: int = Field(default=200, ge=1, le=1000)


class SweepResult(Contract):
    dispatched_event_ids: list[str]
