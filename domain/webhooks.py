"""Webhooks: the event types we push, the status of one delivery (an event to one endpoint) with its
transition table, and the delivery rules every part shares: which answers are retried, the backoff, how long
an event is retried and how long an endpoint may fail before it is disabled."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from enum import StrEnum

from domain import transitions


class EventType(StrEnum):
    BATCH_COMPLETED = "batch.completed"
    BATCH_FAILED = "batch.failed"
    CONTENT_PUBLISHED = "content.published"
    PUBLISH_FAILED = "publish.failed"
    CONTENT_UNPUBLISHED = "content.unpublished"
    VIDEO_COMPLETED = "video.completed"
    VIDEO_FAILED = "video.failed"
    IMPORT_COMPLETED = "import.completed"
    IMPORT_FAILED = "import.failed"
    VOICE_CLONE_READY = "voice.clone.ready"
    CAMPAIGN_RUN_COMPLETED = "campaign.run.completed"
    ACCOUNT_NEEDS_REAUTH = "account.needs_reauth"


ALL_EVENTS = "*"
"""An endpoint subscribed to ``["*"]`` receives every type, including those added later."""


def subscribed(events: list[str], event_type: str) -> bool:
    return ALL_EVENTS in events or event_type in events


class WebhookStatus(StrEnum):
    """An endpoint: enabled, or disabled (by its owner, or by us after failing for ``DISABLE_AFTER``)."""

    ENABLED = "enabled"
    DISABLED = "disabled"


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    RETRYING = "retrying"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


_D = DeliveryStatus
DELIVERY_TRANSITIONS: dict[DeliveryStatus, frozenset[DeliveryStatus]] = {
    _D.PENDING: frozenset({_D.RETRYING, _D.SUCCEEDED, _D.FAILED}),
    _D.RETRYING: frozenset({_D.SUCCEEDED, _D.FAILED}),
    _D.SUCCEEDED: frozenset(),
    _D.FAILED: frozenset(),
}

FINISHED_DELIVERY_STATUSES = transitions.terminal(DELIVERY_TRANSITIONS)


def check_delivery_transition(current: str, new: DeliveryStatus) -> None:
    transitions.check_transition(DELIVERY_TRANSITIONS, "delivery", current, new)


class AttemptVerdict(StrEnum):
    """What one POST's answer means for the delivery."""

    DELIVERED = "delivered"
    RETRY = "retry"
    STOP = "stop"


# Standard Webhooks: 2xx is success; timeouts, 5xx and 429 are worth retrying; 408 (timeout) and 409 (the
# receiver was busy with the same id) too. Any other 4xx means the receiver refuses this payload for good.
_RETRIED_4XX = frozenset({408, 409, 429})


def verdict_for(status_code: int | None) -> AttemptVerdict:
    """``None`` is a network error or timeout: retried."""
    if status_code is None or status_code >= 500 or status_code in _RETRIED_4XX:
        return AttemptVerdict.RETRY
    if 200 <= status_code < 300:
        return AttemptVerdict.DELIVERED
    return AttemptVerdict.STOP


RETRY_WINDOW = timedelta(hours=24)
"""An event is retried for this long after its first attempt, then the delivery fails."""
DISABLE_AFTER = timedelta(days=3)
"""An endpoint whose every attempt failed for this long is disabled."""
SECRET_OVERLAP = timedelta(hours=24)
"""After a rotation the old secret keeps signing alongside the new one this long."""

FIRST_BACKOFF = timedelta(seconds=5)
MAX_BACKOFF = timedelta(hours=1)
MAX_RETRY_AFTER = timedelta(hours=6)
"""A Retry-After longer than this is capped, so one header cannot park a delivery past its window."""


def backoff(failed_attempts: int, retry_after: timedelta | None = None) -> timedelta:
    """The wait before the next attempt: doubling from ``FIRST_BACKOFF`` up to ``MAX_BACKOFF``, or the
    receiver's Retry-After when it asks for longer (capped at ``MAX_RETRY_AFTER``)."""
    exponent = max(failed_attempts - 1, 0)
    delay = min(FIRST_BACKOFF * (2 ** min(exponent, 20)), MAX_BACKOFF)
    if retry_after is not None:
        delay = max(delay, min(retry_after, MAX_RETRY_AFTER))
    return delay


def retry_after(value: str | None, now: datetime) -> timedelta | None:
    """``Retry-After`` as seconds or an HTTP date; ``None`` when absent or unreadable."""
    if not value:
        return None
    if value.strip().isdigit():
        return timedelta(seconds=int(value.strip()))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(when - now, timedelta(0))
