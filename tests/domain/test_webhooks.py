"""The delivery rules: which answers are retried, the backoff and Retry-After, the delivery transitions,
subscriptions, which secrets sign during and after a rotation's overlap, and Retry-After parsing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.errors import Conflict
from core.webhook_signing import new_secret, signing_secrets
from domain.webhooks import (
    FIRST_BACKOFF,
    MAX_BACKOFF,
    MAX_RETRY_AFTER,
    AttemptVerdict,
    DeliveryStatus,
    backoff,
    check_delivery_transition,
    retry_after,
    subscribed,
    verdict_for,
)

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("status", "verdict"),
    [
        (None, AttemptVerdict.RETRY), (200, AttemptVerdict.DELIVERED), (204, AttemptVerdict.DELIVERED),
        (500, AttemptVerdict.RETRY), (503, AttemptVerdict.RETRY), (429, AttemptVerdict.RETRY),
        (408, AttemptVerdict.RETRY), (409, AttemptVerdict.RETRY), (400, AttemptVerdict.STOP),
        (401, AttemptVerdict.STOP), (404, AttemptVerdict.STOP), (410, AttemptVerdict.STOP),
        (301, AttemptVerdict.STOP),
    ],
)  # fmt: skip
def test_verdicts(status: int | None, verdict: AttemptVerdict) -> None:
    assert verdict_for(status) == verdict


def test_backoff_doubles_to_a_ceiling_and_yields_to_a_longer_retry_after() -> None:
    assert [backoff(n) for n in (1, 2, 3)] == [FIRST_BACKOFF, FIRST_BACKOFF * 2, FIRST_BACKOFF * 4]
    assert backoff(40) == MAX_BACKOFF
    assert backoff(1, timedelta(minutes=10)) == timedelta(minutes=10)
    assert backoff(12, timedelta(seconds=1)) == MAX_BACKOFF  # a shorter Retry-After does not hurry us
    assert backoff(1, timedelta(days=3)) == MAX_RETRY_AFTER


def test_retry_after_reads_seconds_and_dates() -> None:
    assert retry_after("120", NOW) == timedelta(seconds=120)
    assert retry_after("Mon, 07 Dec 2026 12:05:00 GMT", NOW) == timedelta(minutes=5)
    assert retry_after("Mon, 07 Dec 2026 11:00:00 GMT", NOW) == timedelta(0)
    assert retry_after("soon", NOW) is None and retry_after(None, NOW) is None


def test_settled_deliveries_stay_settled() -> None:
    check_delivery_transition("pending", DeliveryStatus.RETRYING)
    check_delivery_transition("retrying", DeliveryStatus.SUCCEEDED)
    for settled in ("succeeded", "failed"):
        with pytest.raises(Conflict):
            check_delivery_transition(settled, DeliveryStatus.RETRYING)


def test_subscriptions() -> None:
    assert subscribed(["*"], "voice.clone.ready")
    assert subscribed(["batch.completed"], "batch.completed")
    assert not subscribed(["batch.completed"], "batch.failed")


def test_previous_secret_signs_only_until_its_overlap_ends() -> None:
    current, previous = new_secret(), new_secret()
    ends = NOW + timedelta(hours=24)
    assert signing_secrets(current, previous, ends, NOW) == [current, previous]
    assert signing_secrets(current, previous, ends, ends) == [current]
    assert signing_secrets(current, None, None, NOW) == [current]
    assert current.startswith("whsec_") and current != previous
