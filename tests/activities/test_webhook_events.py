"""Outcomes become outbox events in the same transaction, once: a retried settle records no second event,
only a real transition is an event, and a job that is not a video records none. Run on both databases."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from activities.jobs import JobActivities
from activities.social import flag_reauth
from contracts.jobs import JobOutcome
from domain.jobs import JobKind, JobStatus
from domain.webhooks import EventType
from store.db import create_engine, create_session_factory, transaction
from store.models import Job, SocialAccount, WebhookEvent
from tests.utils.factories import Tenant, make_tenant


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(database_url)
    try:
        yield create_session_factory(engine)
    finally:
        await engine.dispose()


async def _events(sessions: async_sessionmaker[AsyncSession], account_id: str) -> list[WebhookEvent]:
    async with transaction(sessions) as session:
        rows = await session.scalars(
            select(WebhookEvent).where(WebhookEvent.account_id == account_id).order_by(WebhookEvent.occurred_at)
        )
        return list(rows.all())


async def _job(sessions: async_sessionmaker[AsyncSession], tenant: Tenant, kind: JobKind) -> str:
    job_id = f"job_{uuid.uuid4().hex[:16]}"
    async with transaction(sessions) as session:
        session.add(
            Job(
                id=job_id,
                account_id=tenant.account_id,
                kind=kind,
                status=JobStatus.RUNNING,
                subject_id="cnt_1",
                workflow_id=f"wf-{job_id}",
            )
        )
    return job_id


async def test_video_job_outcome_is_one_event_even_when_the_settle_is_retried(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    tenant = await make_tenant(sessions)
    activities = JobActivities(sessions)
    rendered = await _job(sessions, tenant, JobKind.VIDEO)
    broken = await _job(sessions, tenant, JobKind.VIDEO)
    wardrobe = await _job(sessions, tenant, JobKind.WARDROBE)
    for _ in range(2):  # the second call is a retried activity
        await activities.complete_job(JobOutcome(job_id=rendered, status=JobStatus.COMPLETED))
    await activities.complete_job(JobOutcome(job_id=broken, status=JobStatus.FAILED, error="VideoFailed: no"))
    await activities.complete_job(JobOutcome(job_id=wardrobe, status=JobStatus.COMPLETED))
    events = await _events(sessions, tenant.account_id)
    assert sorted((e.type, e.data["id"]) for e in events) == sorted(
        [(EventType.VIDEO_COMPLETED.value, rendered), (EventType.VIDEO_FAILED.value, broken)]
    )
    failed = next(e for e in events if e.type == EventType.VIDEO_FAILED)
    assert failed.data["status"] == "failed" and failed.data["error"] == "VideoFailed: no"
    # Outside a worker nothing dispatches them: they wait for the sweep.
    assert all(e.dispatched_at is None for e in events)


async def test_needs_reauth_is_an_event_only_when_the_account_moves_there(
    sessions: async_sessionmaker[AsyncSession], caplog: pytest.LogCaptureFixture
) -> None:
    tenant = await make_tenant(sessions)
    social_id = f"acc_{uuid.uuid4().hex[:16]}"
    async with transaction(sessions) as session:
        session.add(SocialAccount(id=social_id, account_id=tenant.account_id, platform="x", handle="someone"))
    with caplog.at_level("WARNING"):
        await flag_reauth(sessions, tenant.account_id, social_id)
        await flag_reauth(sessions, tenant.account_id, social_id)  # already flagged: no second event
    [event] = await _events(sessions, tenant.account_id)
    assert event.type == EventType.ACCOUNT_NEEDS_REAUTH
    assert event.data == {
        "id": social_id, "platform": "x", "handle": "someone", "profileId": None, "status": "needs_reauth"
    }
    assert sum("account.needs_reauth" in r.getMessage() for r in caplog.records) == 1
