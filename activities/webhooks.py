"""Webhook delivery activities: one signed POST per attempt, recorded with its answer, and the verdict the
workflow acts on; plus the sweep that dispatches events whose prompt dispatch was lost.

The POST runs outside any transaction (a slow receiver must not hold a database connection). An attempt is
recorded under its number, once, so a retried activity after a crash cannot log it twice; the receiver may
see that attempt twice, which Standard Webhooks receivers expect (they deduplicate on ``webhook-id``)."""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity

from activities import metrics
from activities.webhook_dispatch import dispatch_events
from contracts.webhooks import AttemptInput, AttemptOutcome, SweepInput, SweepResult
from core.crypto import TokenCipher
from core.errors import UrlFetchFailed
from core.settings import Settings
from core.webhook_signing import signed_headers, signing_secrets
from domain.webhooks import (
    DISABLE_AFTER,
    FINISHED_DELIVERY_STATUSES,
    AttemptVerdict,
    DeliveryStatus,
    WebhookStatus,
    backoff,
    retry_after,
    verdict_for,
)
from providers.safe_fetch import FetchPolicy, post_url
from store.db import transaction
from store.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent
from store.repositories.webhooks import WebhookDeliveryRepository, WebhookEndpointRepository, WebhookEventRepository
from store.types import utcnow

NETWORK_ERROR = "no answer: connection refused or failed, timed out, or the address is not allowed"
ENDPOINT_GONE = "the endpoint was deleted or disabled before this attempt"
OUT_OF_TIME = "gave up: retried for 24 hours without a successful answer"
_ANSWER_BYTES = 64 * 1024


def event_body(event: WebhookEvent) -> str:
    """The payload, Standard Webhooks' shape plus the event id; compact, so the signed bytes are what is sent."""
    payload = {"id": event.id, "type": event.type, "timestamp": event.occurred_at.isoformat(), "data": event.data}
    return json.dumps(payload, separators=(",", ":"), sort_keys=True, default=str)


class WebhookActivities:
    def __init__(
        self, session_factory: async_sessionmaker[AsyncSession], cipher: TokenCipher, settings: Settings
    ) -> None:
        self.session_factory = session_factory
        self.cipher = cipher
        self.policy = FetchPolicy.from_settings(
            settings, max_bytes=_ANSWER_BYTES, deadline_seconds=settings.webhook_timeout_seconds
        )

    @activity.defn
    async def attempt_delivery(self, input: AttemptInput) -> AttemptOutcome:
        async with transaction(self.session_factory) as session:
            delivery = await WebhookDeliveryRepository(session).get_any(input.delivery_id)
            if delivery is None:
                return AttemptOutcome(verdict=AttemptVerdict.STOP)
            if delivery.status in FINISHED_DELIVERY_STATUSES:
                # A retry of an attempt whose result was already committed: answer what it decided.
                succeeded = delivery.status == DeliveryStatus.SUCCEEDED
                return AttemptOutcome(verdict=AttemptVerdict.DELIVERED if succeeded else AttemptVerdict.STOP)
            endpoint = await WebhookEndpointRepository(session).get_any(delivery.endpoint_id)
            event = await WebhookEventRepository(session).get(delivery.event_id)
            if endpoint is None or event is None or endpoint.status != WebhookStatus.ENABLED:
                await self._settle(session, delivery, DeliveryStatus.FAILED, None, ENDPOINT_GONE)
                return AttemptOutcome(verdict=AttemptVerdict.STOP)
            url, body, message_id, event_type = endpoint.url, event_body(event), event.id, event.type
            secrets = signing_secrets(
                self.cipher.decrypt_text(endpoint.encrypted_secret),
                self.cipher.decrypt_text(endpoint.encrypted_previous_secret)
                if endpoint.encrypted_previous_secret
                else None,
                endpoint.previous_secret_expires_at,
                input.attempted_at,
            )
        # The real clock for the header: receivers compare it with theirs (a five-minute tolerance).
        headers = {"content-type": "application/json", **signed_headers(message_id, body, secrets, utcnow())}
        started = time.monotonic()
        status_code: int | None = None
        error: str | None = None
        wait: timedelta | None = None
        try:
            answer = await post_url(url, "url", self.policy, content=body.encode(), headers=headers)
            status_code = answer.status_code
            wait = retry_after(answer.retry_after, utcnow())
        except UrlFetchFailed:
            error = NETWORK_ERROR
        duration_ms = int((time.monotonic() - started) * 1000)
        verdict = verdict_for(status_code)
        if verdict == AttemptVerdict.STOP and status_code is not None:
            error = f"HTTP {status_code}: not retried (only network errors, 5xx, 408, 409 and 429 are)"
        elif verdict == AttemptVerdict.RETRY and status_code is not None:
            error = f"HTTP {status_code}"
        next_delay: timedelta | None = None
        if verdict == AttemptVerdict.RETRY:
            next_delay = backoff(input.number, wait)
            if input.attempted_at + next_delay > input.deadline:
                next_delay = None
                error = f"{error or NETWORK_ERROR}; {OUT_OF_TIME}"
        async with transaction(self.session_factory) as session:
            repo = WebhookDeliveryRepository(session)
            delivery = await repo.get_any(input.delivery_id)
            if delivery is None:
                return AttemptOutcome(verdict=AttemptVerdict.STOP)
            await repo.record_attempt(
                WebhookAttempt(
                    delivery_id=delivery.id,
                    number=input.number,
                    status_code=status_code,
                    duration_ms=duration_ms,
                    error=error,
                    attempted_at=input.attempted_at,
                )
            )
            delivery.attempts = max(delivery.attempts, input.number)
            if verdict == AttemptVerdict.DELIVERED:
                status = DeliveryStatus.SUCCEEDED
            else:
                status = DeliveryStatus.RETRYING if next_delay is not None else DeliveryStatus.FAILED
            await self._settle(session, delivery, status, status_code, error)
            endpoint = await WebhookEndpointRepository(session).get_any(delivery.endpoint_id)
            if endpoint is not None:
                self._track_health(endpoint, verdict == AttemptVerdict.DELIVERED, input.attempted_at)
        if verdict == AttemptVerdict.DELIVERED:
            metrics.webhook_delivered(event_type)  # counted once: a retried attempt answers above, uncounted
        activity.logger.info(
            "webhook.attempt delivery=%s number=%d status=%s verdict=%s",
            input.delivery_id, input.number, status_code, verdict.value,
        )  # fmt: skip
        return AttemptOutcome(
            verdict=verdict,
            status_code=status_code,
            next_delay_seconds=next_delay.total_seconds() if next_delay is not None else None,
        )

    @activity.defn
    async def sweep_undispatched(self, input: SweepInput) -> SweepResult:
        """Dispatch events left undispatched (their recorder crashed between its commit and the dispatch)."""
        before = utcnow() - timedelta(seconds=input.older_than_seconds)
        async with transaction(self.session_factory) as session:
            event_ids = list(await WebhookEventRepository(session).undispatched(before, input.limit))
        dispatched = await dispatch_events(self.session_factory, activity.client(), input.task_queue, event_ids)
        if dispatched:
            activity.logger.info("webhook.swept events=%d", len(dispatched))
        return SweepResult(dispatched_event_ids=dispatched)

    @staticmethod
    async def _settle(
        session: AsyncSession,
        delivery: WebhookDelivery,
        status: DeliveryStatus,
        status_code: int | None,
        error: str | None,
    ) -> None:
        delivery.last_status_code = status_code
        delivery.error = error
        finished = utcnow() if status in FINISHED_DELIVERY_STATUSES else None
        await WebhookDeliveryRepository(session).mark(delivery, status, finished_at=finished)

    @staticmethod
    def _track_health(endpoint: WebhookEndpoint, delivered: bool, at: datetime) -> None:
        """A success clears the failing streak; a failure starts it, and a streak of ``DISABLE_AFTER``
        disables the endpoint with the reason on its row."""
        if delivered:
            endpoint.failing_since = None
            return
        if endpoint.failing_since is None:
            endpoint.failing_since = at
            return
        if endpoint.status == WebhookStatus.ENABLED and at - endpoint.failing_since >= DISABLE_AFTER:
            endpoint.status = WebhookStatus.DISABLED
            endpoint.disabled_reason = (
                f"disabled automatically: every delivery failed since {endpoint.failing_since.isoformat()} "
                f"({DISABLE_AFTER.days} days); fix the receiver and PATCH enabled=true"
            )
            activity.logger.warning(
                "webhook.endpoint_disabled endpoint=%s account=%s failing_since=%s",
                endpoint.id, endpoint.account_id, endpoint.failing_since.isoformat(),
            )  # fmt: skip
