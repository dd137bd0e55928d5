"""Campaign runs on the time-skipping server, with the real run workflow, the real campaign activities on a
real database and the real publishing workflow (its platform steps stood in, recording workflow time):

- a Mon-Fri 08:00 Europe/Paris campaign in ``auto`` review, fired 2 hours before each slot as its Schedule
  does, over the two weeks around each daylight-saving change, hands exactly 10 items to publishing, each
  on a durable timer that fires at 08:00 local that day, which is an hour apart in UTC before and after
  the change (that the publishing timer posts then and not before is test_publish_schedule's proof; this
  server could not run ten such timers in one test within its sleep deadline);
- in ``required`` review, the items approved before the slot are published at it and the rest reported
  ``skipped_unapproved``."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.campaigns import CampaignActivities
from contracts.campaigns import CampaignRunInput, CampaignRunResult
from contracts.publishing import publish_workflow_id
from core.ids import new_id
from core.settings import Settings
from domain.campaigns import CampaignStatus, ReviewMode, RunItemOutcome
from domain.content import ContentStatus
from store.db import create_engine, create_session_factory, transaction
from store.models import Campaign, ContentItem, Influencer, Profile, SocialAccount
from store.repositories.campaigns import CampaignRunRepository
from store.repositories.publications import PublicationRepository
from tests.utils.databases import create_sqlite_database
from tests.utils.factories import make_tenant
from tests.workflows.campaign_batch_standin import BatchStandIn
from tests.workflows.campaign_standins import StandIns
from tests.workflows.test_publish_schedule import env as env
from workflows.campaign_run import CampaignRunWorkflow
from workflows.publish_content import PublishContentWorkflow

PARIS = ZoneInfo("Europe/Paris")
LEAD = timedelta(hours=2)


@dataclass(frozen=True)
class Seeded:
    account_id: str
    campaign_id: str
    social_account_id: str


@pytest.fixture
async def sessions(tmp_path: Path) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(await create_sqlite_database(tmp_path))
    try:
        yield create_session_factory(engine)
    finally:
        await engine.dispose()


async def seed(sessions: async_sessionmaker[AsyncSession], review: ReviewMode, posts_per_slot: int) -> Seeded:
    tenant = await make_tenant(sessions)
    ids = Seeded(tenant.account_id, new_id("cmp"), new_id("acc"))
    influencer_id, profile_id = new_id("inf"), new_id("prof")
    async with transaction(sessions) as session:
        session.add(Influencer(id=influencer_id, account_id=ids.account_id, name="Mia"))
        await session.flush()
        session.add(
            Profile(
                id=profile_id, account_id=ids.account_id, name="Mia", type="ai_influencer",
                influencer_id=influencer_id, timezone="Europe/Paris",
            )
        )
        await session.flush()
        session.add(
            SocialAccount(
                id=ids.social_account_id, account_id=ids.account_id, profile_id=profile_id, platform="sandbox",
                handle="mia",
            )
        )
        session.add(
            Campaign(
                id=ids.campaign_id, account_id=ids.account_id, name="weekday mornings", profile_id=profile_id,
                influencer_id=influencer_id, status=CampaignStatus.ACTIVE,
                schedule={"slots": [{"days": ["mon", "tue", "wed", "thu", "fri"], "times": ["08:00"]}]},
                weekly_slots=[[day, 8 * 60] for day in range(5)], timezone="Europe/Paris",
                social_account_ids=[ids.social_account_id], posts_per_slot=posts_per_slot,
                rotation={"moods": ["sunny", "calm"]}, review=review, lead_seconds=int(LEAD.total_seconds()),
                workflow_schedule_id=f"campaign-{ids.campaign_id}",
            )
        )
    return ids


def next_change(after: date, *, spring: bool) -> date:
    """The next local date on which Paris moves its clocks forward (spring) or back."""
    day = after
    while True:
        before, next_day = PARIS.utcoffset(datetime.combine(day, time(12))), day + timedelta(days=1)
        later = PARIS.utcoffset(datetime.combine(next_day, time(12)))
        assert before is not None and later is not None
        if (later > before) if spring else (later < before):
            return next_day
        day = next_day


def two_weeks_around(change: date) -> list[date]:
    """Mon-Fri of the week ending on the change's Sunday, then Mon-Fri of the week after."""
    monday = change - timedelta(days=6)
    return [monday + timedelta(days=n) for n in (*range(5), *range(7, 12))]


def _worker(client: Client, queue: str, sessions: async_sessionmaker[AsyncSession], standins: StandIns) -> Worker:
    campaigns = CampaignActivities(sessions, client, Settings())
    return Worker(
        client,
        task_queue=queue,
        workflows=[CampaignRunWorkflow, BatchStandIn, PublishContentWorkflow],
        activities=[
            campaigns.begin_run, campaigns.record_batch, campaigns.hand_off, campaigns.finish_run,
            *standins.activities(),
        ],
    )


async def _fire(env: WorkflowEnvironment, queue: str, seeded: Seeded, at: datetime) -> CampaignRunResult:
    """What the Schedule does at ``at``: start a run with no slot given; it finds its slot from the time it
    was fired for (``fired_at`` stands in for Temporal's TemporalScheduledStartTime, which the test server,
    having no Schedules, cannot set). Waited on with skipping off: an ``auto`` run has no timer of its own."""
    with env.auto_time_skipping_disabled():
        return await env.client.execute_workflow(
            CampaignRunWorkflow.run,
            CampaignRunInput(campaign_id=seeded.campaign_id, account_id=seeded.account_id, fired_at=at),
            id=f"campaign-{seeded.campaign_id}-{at:%Y%m%dT%H%M}",
            task_queue=queue,
        )


async def _published(env: WorkflowEnvironment, content_ids: list[str]) -> None:
    """Wait for each publish; its slot has passed, so it posts at once."""
    with env.auto_time_skipping_disabled():
        for content_id in content_ids:
            await env.client.get_workflow_handle(publish_workflow_id(content_id)).result()


async def _publish_timer(env: WorkflowEnvironment, content_id: str) -> datetime:
    """When the item's publishing workflow will post: its start plus its durable timer."""
    handle = env.client.get_workflow_handle(publish_workflow_id(content_id))
    started = timer = None
    async for event in handle.fetch_history_events():
        if event.HasField("workflow_execution_started_event_attributes"):
            started = event.event_time.ToDatetime(tzinfo=UTC)
        if event.HasField("timer_started_event_attributes"):
            timer = event.timer_started_event_attributes.start_to_fire_timeout.ToTimedelta()
    assert started is not None and timer is not None, f"{content_id}: no publishing timer"
    return started + timer


@pytest.mark.parametrize("spring", [True, False], ids=["spring_forward", "fall_back"])
async def test_auto_campaign_posts_ten_times_at_eight_local_across_dst(
    env: WorkflowEnvironment, sessions: async_sessionmaker[AsyncSession], spring: bool
) -> None:
    seeded = await seed(sessions, ReviewMode.AUTO, posts_per_slot=1)
    standins = StandIns(sessions)
    queue = f"campaign-{uuid.uuid4().hex[:8]}"
    start = (await env.get_current_time()).date() + timedelta(days=1)
    days = two_weeks_around(next_change(start + timedelta(days=7), spring=spring))
    async with _worker(env.client, queue, sessions, standins):
        results = []
        for day in days:
            # The Schedule fires leadTime before the slot, 06:00 local (see the Schedule test for Temporal's own
            # firing times); the run must find 08:00 local of that day from it.
            results.append(await _fire(env, queue, seeded, datetime.combine(day, time(6), PARIS).astimezone(UTC)))
        expected = [datetime.combine(day, time(8), PARIS).astimezone(UTC) for day in days]
        content_ids = [c for r in results for c in r.outcomes]
        fires = [await _publish_timer(env, c) for c in content_ids]

    assert [r.slot_at for r in results] == expected
    assert len(set(content_ids)) == 10
    assert all(outcome == RunItemOutcome.SCHEDULED for r in results for outcome in r.outcomes.values())
    # Each item's publishing workflow waits on its own durable timer for its slot, to the millisecond.
    drift = [abs((fire - slot).total_seconds()) for fire, slot in zip(fires, expected, strict=True)]
    assert max(drift) < 0.01, drift
    async with transaction(sessions) as session:
        for content_id, slot in zip(content_ids, expected, strict=True):
            publications = await PublicationRepository(session).for_round(content_id, 1)
            assert [(p.social_account_id, p.scheduled_at, p.status) for p in publications] == [
                (seeded.social_account_id, slot, "scheduled")
            ]
    # 08:00 in Paris is 07:00 UTC in winter and 06:00 UTC in summer: the change moved the UTC hour, not the local.
    winter, summer = {t.hour for t in expected if t.hour == 7}, {t.hour for t in expected if t.hour == 6}
    assert winter == {7} and summer == {6}
    first_week, second_week = {t.hour for t in expected[:5]}, {t.hour for t in expected[5:]}
    assert (first_week, second_week) == (({7}, {6}) if spring else ({6}, {7}))
    async with transaction(sessions) as session:
        runs = (await CampaignRunRepository(session).list(seeded.campaign_id, limit=20, cursor=None)).items
        assert len(runs) == 10
        assert all(run.status == "completed" for run in runs)
        moods = sorted(str(run.plan["batch"]["options"]["mood"]) for run in runs)
        assert moods == ["calm"] * 5 + ["sunny"] * 5  # rotated across runs


async def test_required_review_publishes_only_what_was_approved_in_time(
    env: WorkflowEnvironment, sessions: async_sessionmaker[AsyncSession]
) -> None:
    seeded = await seed(sessions, ReviewMode.REQUIRED, posts_per_slot=3)
    standins = StandIns(sessions)
    queue = f"campaign-{uuid.uuid4().hex[:8]}"
    day = (await env.get_current_time()).astimezone(PARIS).date() + timedelta(days=2)
    while day.weekday() > 4:
        day += timedelta(days=1)
    fire_at = datetime.combine(day, time(6), PARIS).astimezone(UTC)
    slot_at = datetime.combine(day, time(8), PARIS).astimezone(UTC)
    async with _worker(env.client, queue, sessions, standins):
        with env.auto_time_skipping_disabled():
            handle = await env.client.start_workflow(
                CampaignRunWorkflow.run,
                CampaignRunInput(campaign_id=seeded.campaign_id, account_id=seeded.account_id, fired_at=fire_at),
                id=f"campaign-{seeded.campaign_id}-required",
                task_queue=queue,
            )
            content_ids = await _wait_for_items(sessions, seeded.campaign_id, 3)
            # A person approves two of the three while the run waits for the slot.
            async with transaction(sessions) as session:
                for content_id in content_ids[:2]:
                    item = await session.get(ContentItem, content_id)
                    assert item is not None and item.status == ContentStatus.PENDING_REVIEW
                    item.status = ContentStatus.APPROVED
            assert standins.posts == []
        # Skipping on again: the run's timer fires at the slot, and it hands off what was approved by then.
        result = await handle.result()
        await _published(env, content_ids[:2])

    assert result.slot_at == slot_at
    assert result.outcomes == {
        content_ids[0]: RunItemOutcome.SCHEDULED,
        content_ids[1]: RunItemOutcome.SCHEDULED,
        content_ids[2]: RunItemOutcome.SKIPPED_UNAPPROVED,
    }
    assert sorted(p.content_id for p in standins.posts) == sorted(content_ids[:2])
    assert all(p.at >= slot_at and p.at - slot_at < timedelta(minutes=1) for p in standins.posts)
    async with transaction(sessions) as session:
        skipped = await session.get(ContentItem, content_ids[2])
        assert skipped is not None and skipped.status == ContentStatus.PENDING_REVIEW


async def _wait_for_items(sessions: async_sessionmaker[AsyncSession], campaign_id: str, count: int) -> list[str]:
    for _ in range(200):
        async with transaction(sessions) as session:
            page = await CampaignRunRepository(session).list(campaign_id, limit=1, cursor=None)
            items = [e["content_id"] for run in page.items for e in run.items if e.get("content_id")]
        if len(items) == count:
            return items
        await asyncio.sleep(0.05)
    raise AssertionError("the run never recorded its batch")
