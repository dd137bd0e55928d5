"""``WebhookDeliveryWorkflow`` with its real activities, a real database and a real receiver on 127.0.0.1, on
the time-skipping test server (the waits between attempts are timers, so a day of retries takes seconds):
500 x3 then 200 is one delivery with four attempts; Retry-After is honoured; a refusing 4xx stops; a receiver
that never recovers is given up on after 24 hours; an endpoint failing for three days is disabled; after a
rotation both secrets sign for 24 hours, then only the new one; a replayed dispatch delivers once."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from itertools import pairwise
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from standardwebhooks.webhooks import Webhook, WebhookVerificationError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.webhook_dispatch import dispatch_events
from activities.webhooks import WebhookActivities
from contracts.webhooks import DeliveryInput, DeliveryResult, delivery_workflow_id
from core.crypto import TokenCipher
from core.settings import Settings
from core.webhook_signing import new_secret
from domain.webhooks import RETRY_WINDOW, DeliveryStatus, EventType, WebhookStatus
from store.db import create_engine, create_session_factory, transaction
from store.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent
from store.repositories.accounts import AccountRepository
from store.repositories.webhooks import derived_id, record_event
from store.types import utcnow
from tests.utils.databases import create_sqlite_database
from tests.utils.time_skipping import time_skipping_env
from tests.utils.webhooks import running_receiver
from workflows.webhook_delivery import WebhookDeliveryWorkflow


@dataclass
class Harness:
    env: WorkflowEnvironment
    sessions: async_sessionmaker[AsyncSession]
    cipher: TokenCipher
    task_queue: str
    account_id: str


@asynccontextmanager
async def _harness(tmp_path: Path, env: WorkflowEnvironment) -> AsyncIterator[Harness]:
    url = await create_sqlite_database(tmp_path)
    engine = create_engine(url)
    sessions = create_session_factory(engine)
    cipher = TokenCipher(Fernet.generate_key())
    settings = Settings(data_dir=tmp_path, database_url=url, allow_private_urls=True, webhook_timeout_seconds=5)
    async with transaction(sessions) as session:
        account = await AccountRepository(session).get_or_create(f"acct-{uuid.uuid4().hex[:8]}")
    task_queue = f"webhooks-{uuid.uuid4().hex[:8]}"
    activities = WebhookActivities(sessions, cipher, settings)
    try:
        async with Worker(
            env.client,
            task_queue=task_queue,
            workflows=[WebhookDeliveryWorkflow],
            activities=[activities.attempt_delivery],
        ):
            yield Harness(env, sessions, cipher, task_queue, account.id)
    finally:
        await engine.dispose()


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    async with time_skipping_env() as env, _harness(tmp_path, env) as running:
        yield running


@pytest.fixture
async def dev_harness(tmp_path: Path, temporal_env: WorkflowEnvironment) -> AsyncIterator[Harness]:
    """On the session's dev server, which knows our search attributes (dispatch sets AccountId)."""
    async with _harness(tmp_path, temporal_env) as running:
        yield running


async def _endpoint(h: Harness, url: str, secret: str, **fields: object) -> str:
    endpoint_id = f"whk_{uuid.uuid4().hex[:16]}"
    async with transaction(h.sessions) as session:
        session.add(
            WebhookEndpoint(
                id=endpoint_id,
                account_id=h.account_id,
                url=url,
                events=["*"],
                status=WebhookStatus.ENABLED,
                encrypted_secret=h.cipher.encrypt(secret),
                **fields,
            )
        )
    return endpoint_id


async def _delivery(h: Harness, endpoint_id: str, key: str | None = None) -> str:
    async with transaction(h.sessions) as session:
        event = await record_event(
            session, h.account_id, EventType.BATCH_COMPLETED, {"id": "bat_1"}, key=key or uuid.uuid4().hex
        )
        delivery_id = derived_id("whd", event.id, endpoint_id)
        session.add(
            WebhookDelivery(
                id=delivery_id,
                account_id=h.account_id,
                endpoint_id=endpoint_id,
                event_id=event.id,
                status=DeliveryStatus.PENDING,
                workflow_id=delivery_workflow_id(delivery_id),
            )
        )
    return delivery_id


async def _deliver(h: Harness, delivery_id: str) -> DeliveryResult:
    result: DeliveryResult = await h.env.client.execute_workflow(
        WebhookDeliveryWorkflow.run,
        DeliveryInput(delivery_id=delivery_id, account_id=h.account_id),
        id=delivery_workflow_id(delivery_id),
        task_queue=h.task_queue,
    )
    return result


async def _attempts(h: Harness, delivery_id: str) -> list[WebhookAttempt]:
    async with transaction(h.sessions) as session:
        rows = await session.scalars(
            select(WebhookAttempt).where(WebhookAttempt.delivery_id == delivery_id).order_by(WebhookAttempt.number)
        )
        return list(rows.all())


async def _row(h: Harness, model: type, row_id: str) -> object:
    async with transaction(h.sessions) as session:
        return await session.get(model, row_id)


async def test_three_500s_then_200_is_one_delivery_with_four_attempts(harness: Harness) -> None:
    secret = new_secret()
    with running_receiver([500, 500, 500, 200]) as (receiver, url):
        delivery_id = await _delivery(harness, await _endpoint(harness, url, secret))
        result = await _deliver(harness, delivery_id)
    assert result.status == DeliveryStatus.SUCCEEDED and result.attempts == 4
    attempts = await _attempts(harness, delivery_id)
    assert [a.status_code for a in attempts] == [500, 500, 500, 200]
    assert attempts[0].error == "HTTP 500" and attempts[3].error is None
    gaps = [later.attempted_at - earlier.attempted_at for earlier, later in pairwise(attempts)]
    assert gaps[0] < gaps[1] < gaps[2], f"backoff should grow: {gaps}"
    delivery = await _row(harness, WebhookDelivery, delivery_id)
    assert isinstance(delivery, WebhookDelivery) and delivery.status == DeliveryStatus.SUCCEEDED
    # One event: the same webhook-id every time, each attempt signed so the library verifies it.
    assert len({r.headers["webhook-id"] for r in receiver.received}) == 1 and len(receiver.received) == 4
    for request in receiver.received:
        assert Webhook(secret).verify(request.body, request.headers)["type"] == "batch.completed"


async def test_retry_after_is_honoured_and_408_is_retried(harness: Harness) -> None:
    with running_receiver([(429, {"Retry-After": "900"}), 408, 200]) as (_, url):
        delivery_id = await _delivery(harness, await _endpoint(harness, url, new_secret()))
        result = await _deliver(harness, delivery_id)
    assert result.status == DeliveryStatus.SUCCEEDED and result.attempts == 3
    attempts = await _attempts(harness, delivery_id)
    assert attempts[1].attempted_at - attempts[0].attempted_at >= timedelta(seconds=900)
    assert attempts[2].attempted_at - attempts[1].attempted_at < timedelta(seconds=900)


async def test_refusing_4xx_stops_after_one_attempt(harness: Harness) -> None:
    with running_receiver([410]) as (receiver, url):
        delivery_id = await _delivery(harness, await _endpoint(harness, url, new_secret()))
        result = await _deliver(harness, delivery_id)
    assert result.status == DeliveryStatus.FAILED and result.attempts == 1
    [attempt] = await _attempts(harness, delivery_id)
    assert attempt.status_code == 410 and attempt.error is not None and "not retried" in attempt.error
    assert len(receiver.received) == 1


async def test_receiver_that_never_recovers_is_given_up_on_after_24_hours(harness: Harness) -> None:
    with running_receiver([503] * 200) as (_, url):
        delivery_id = await _delivery(harness, await _endpoint(harness, url, new_secret()))
        result = await _deliver(harness, delivery_id)
    assert result.status == DeliveryStatus.FAILED
    attempts = await _attempts(harness, delivery_id)
    assert len(attempts) == result.attempts > 10
    assert attempts[-1].attempted_at - attempts[0].attempted_at <= RETRY_WINDOW
    assert attempts[-1].attempted_at - attempts[0].attempted_at > RETRY_WINDOW - timedelta(hours=2)
    assert attempts[-1].error is not None and "gave up" in attempts[-1].error


async def test_endpoint_failing_for_three_days_is_disabled_with_a_reason(harness: Harness) -> None:
    with running_receiver([404, 404]) as (_, url):
        recent = await _endpoint(harness, url, new_secret(), failing_since=utcnow() - timedelta(days=2))
        await _deliver(harness, await _delivery(harness, recent))
        since = utcnow() - timedelta(days=3, minutes=1)
        long_failing = await _endpoint(harness, url, new_secret(), failing_since=since)
        await _deliver(harness, await _delivery(harness, long_failing))
    still = await _row(harness, WebhookEndpoint, recent)
    assert isinstance(still, WebhookEndpoint) and still.status == WebhookStatus.ENABLED
    disabled = await _row(harness, WebhookEndpoint, long_failing)
    assert isinstance(disabled, WebhookEndpoint) and disabled.status == WebhookStatus.DISABLED
    assert disabled.disabled_reason is not None and "3 days" in disabled.disabled_reason
    # A disabled endpoint gets nothing more: the next delivery fails without a request.
    with running_receiver() as (receiver, _):
        result = await _deliver(harness, await _delivery(harness, long_failing))
    assert result.status == DeliveryStatus.FAILED and receiver.received == []


async def test_rotated_secret_overlaps_for_24_hours_then_only_the_new_one_signs(harness: Harness) -> None:
    old, new = new_secret(), new_secret()
    with running_receiver() as (receiver, url):
        endpoint_id = await _endpoint(
            harness,
            url,
            new,
            encrypted_previous_secret=harness.cipher.encrypt(old),
            previous_secret_expires_at=utcnow() + timedelta(hours=24),
        )
        await _deliver(harness, await _delivery(harness, endpoint_id))
        await harness.env.sleep(timedelta(hours=25))
        await _deliver(harness, await _delivery(harness, endpoint_id))
    during, after = receiver.received
    for secret in (old, new):
        assert Webhook(secret).verify(during.body, during.headers)
    assert Webhook(new).verify(after.body, after.headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(old).verify(after.body, after.headers)


async def test_replayed_record_and_dispatch_deliver_once(dev_harness: Harness) -> None:
    harness = dev_harness
    with running_receiver() as (receiver, url):
        endpoint_id = await _endpoint(harness, url, new_secret())
        events = []
        for _ in range(2):  # a retried activity records the same outcome again
            async with transaction(harness.sessions) as session:
                event = await record_event(session, harness.account_id, EventType.IMPORT_COMPLETED, {}, key="imp_1")
                events.append(event.id)
        assert events[0] == events[1]
        first = await dispatch_events(harness.sessions, harness.env.client, harness.task_queue, events)
        assert first == [events[0]]
        delivery_id = derived_id("whd", events[0], endpoint_id)
        await harness.env.client.get_workflow_handle(delivery_workflow_id(delivery_id)).result()
        # A dispatch replayed after its mark was lost: the delivery workflow id is refused, nothing is sent.
        async with transaction(harness.sessions) as session:
            row = await session.get(WebhookDelivery, delivery_id)
            assert row is not None
            stored = await session.get(WebhookEvent, events[0])
            assert stored is not None
            stored.dispatched_at = None
        again = await dispatch_events(harness.sessions, harness.env.client, harness.task_queue, events)
        assert again == [events[0]]
    assert len(receiver.received) == 1
