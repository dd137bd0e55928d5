"""Webhooks on the wire: the create and update bodies, the endpoint (with its secret only when it is new or
rotated), and the deliveries log with each attempt."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import ConfigDict, Field, StrictBool, field_validator

from core.wire import InputSchema, Schema
from domain.webhooks import ALL_EVENTS, DeliveryStatus, EventType, WebhookStatus
from store.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

_EVENT_NAMES = [ALL_EVENTS, *(t.value for t in EventType)]
# Listed in the schema so clients see the accepted names; _known_events gives the error message.
# Where the safe fetcher may deliver is decided at request time (DNS); the schema says what shape it takes.
_URL = r"^https?://[^\x00]+$"
EventName = Annotated[str, Field(json_schema_extra={"enum": _EVENT_NAMES})]


def _known_events(events: list[str]) -> list[str]:
    unknown = [e for e in events if e not in _EVENT_NAMES]
    if unknown:
        raise ValueError(f"unknown event type(s) {', '.join(unknown)}; known: {', '.join(_EVENT_NAMES)}")
    # Order kept, duplicates dropped: the list is shown back as given.
    return list(dict.fromkeys(events))


class WebhookCreate(InputSchema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "url": "https://hooks.example.com/autopersonas",
                    "events": ["batch.completed", "content.published"],
                    "description": "Ops channel",
                }
            ]
        }
    )

    url: str = Field(
        min_length=1, max_length=2000, pattern=_URL, description="https (or http) URL that receives the POSTs"
    )
    events: list[EventName] = Field(min_length=1, max_length=50, description='Event types, or ["*"] for all')
    description: str = Field(default="", max_length=500)

    _events = field_validator("events")(_known_events)


class WebhookUpdate(InputSchema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"events": ["*"], "enabled": False}]})

    url: str | None = Field(default=None, min_length=1, max_length=2000, pattern=_URL)
    events: list[EventName] | None = Field(default=None, min_length=1, max_length=50)
    description: str | None = Field(default=None, max_length=500)
    enabled: StrictBool | None = Field(default=None, description="false pauses deliveries; true re-enables")

    @field_validator("events")
    @classmethod
    def _events(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else _known_events(value)


class WebhookOut(Schema):
    id: str
    url: str
    description: str
    events: list[str]
    status: WebhookStatus
    disabled_reason: str | None
    previous_secret_expires_at: datetime | None = Field(
        description="Until then the previous secret also signs every delivery (after a rotation)"
    )
    created_at: datetime
    updated_at: datetime


class WebhookWithSecret(WebhookOut):
    secret: str = Field(description="The signing secret (whsec_...), shown this once")


class AttemptOut(Schema):
    number: int
    status_code: int | None
    duration_ms: int
    error: str | None
    attempted_at: datetime


class DeliveryOut(Schema):
    id: str
    webhook_id: str
    event_id: str
    event_type: str
    status: DeliveryStatus
    redelivery_of: str | None
    last_status_code: int | None
    error: str | None
    attempts: list[AttemptOut]
    created_at: datetime
    finished_at: datetime | None


def webhook_out(endpoint: WebhookEndpoint) -> WebhookOut:
    return WebhookOut.model_validate(endpoint)


def webhook_with_secret(endpoint: WebhookEndpoint, secret: str) -> WebhookWithSecret:
    return WebhookWithSecret(**webhook_out(endpoint).model_dump(), secret=secret)


def delivery_out(delivery: WebhookDelivery, event_type: str, attempts: list[WebhookAttempt]) -> DeliveryOut:
    return DeliveryOut(
        id=delivery.id,
        webhook_id=delivery.endpoint_id,
        event_id=delivery.event_id,
        event_type=event_type,
        status=DeliveryStatus(delivery.status),
        redelivery_of=delivery.redelivery_of,
        last_status_code=delivery.last_status_code,
        error=delivery.error,
        attempts=[AttemptOut.model_validate(a) for a in attempts],
        created_at=delivery.created_at,
        finished_at=delivery.finished_at,
    )
