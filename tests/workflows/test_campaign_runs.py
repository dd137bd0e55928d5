"""Campaign runs on the time-skipping server with the real run workflow, the real campaign activities, the
real publishing workflow and activities, the sandbox platform adapter and the sandbox itself (the test
stack's API), on the stack's database. Only generation is stood in (``campaign_batch_standin``).

- A Mon-Fri 08:00 Europe/Paris campaign in ``auto`` review, fired 2 hours before each slot as its Schedule
  does, over the two weeks around each daylight-saving change, makes exactly 10 posts on the sandbox, each
  at 08:00 local that day in workflow time: 07:00Z in winter, 06:00Z in summer.
- In ``required`` review, the items approved before the slot are posted at it and the rest reported
  ``skipped_unapproved``.

How time moves (tests/utils/time_skipping says why): each weekday runs on a fresh test server, because the
day's publishing workflow is an abandoned child of the run, and once it completes that server no longer
skips time. On it: skip to the day's firing time, run the campaign with skipping off (an ``auto`` run has no
timer), see nothing posted yet, skip to the slot (the publishing timer fires as the skip reaches it), and
wait for the real activities to post."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.campaigns import CampaignActivities
from activities.publishing import PublishingActivities
from contracts.campaigns import CampaignRunInput, CampaignRunResult
from contracts.publishing import PublishResult, publish_workflow_id
from core.ids import new_id
from domain.campaigns import CampaignStatus, ReviewMode, RunItemOutcome
from domain.content import ContentStatus
from store.db import transaction
from store.models import Campaign, ContentItem
from store.repositories.campaigns import CampaignRunRepository
from store.repositories.publications import PublicationRepository
from tests.utils.factories import Tenant, connect_sandbox, create_influencer, create_profile
from tests.utils.publishing import sandbox_posts
from tests.utils.stack import Stack
from tests.utils.time_skipping import time_skipping_env
from tests.workflows.campaign_batch_standin import BatchStandIn
from tests.workflows.campaign_standins import ItemMaker
from tests.workflows.test_publish_schedule import env as env
from workflows.campaign_run import CampaignRunWorkflow
from workflows.publish_content import PublishContentWorkflow

PARIS = ZoneInfo("Europe/Paris")
LEAD = timedelta(hours=2)
# A post is made this soon after its slot in workflow time (the activities hold the clock while they run).
POSTED_WITHIN = timedelta(minutes=1)


@dataclass(frozen=True)
class Seeded:
    account_id: str
    campaign_id: str
    social_account_id: str


async def seed(
    http: httpx.AsyncClient, stack: Stack, tenant: Tenant, review: ReviewMode, posts_per_slot: int
) -> Seeded:
    """An influencer with a Europe/Paris profile and a connected sandbox account (over the API), and a Mon-Fri
    08:00 campaign row for them. The row is written directly: created over the API, the campaign would also
    get a Schedule on the stack's own Temporal server, which this test stands in for."""
    influencer = await create_influencer(http, tenant)
    profile = await create_profile(http, tenant, influencer["id"], timezone="Europe/Paris")
    account = await connect_sandbox(http, tenant, profile["id"])
    ids = Seeded(tenant.account_id, new_id("cmp"), account["id"])
    async with transaction(stack.sessions) as session:
        session.add(
            Campaign(
                id=ids.campaign_id, account_id=ids.account_id, name="weekday mornings", profile_id=profile["id"],
                influencer_id=influencer["id"], status=CampaignStatus.ACTIVE,
                schedule={"slots": [{"days": ["mon", "tue", "wed", "thu", "fri"], "times": ["08:00"]}]},
                weekly_slots=[[day, 8 * 60] for day in range(5)], timezone="Europe/Paris",
                social_account_ids=[ids.social_account_id], posts_per_slot=posts_per_slot,
                rotation={"moods": ["sunny", "calm"]}, review=review, lead_seconds=int(LEAD.total_seconds()),
                workflow_schedule_id=f"campaign-{ids.campaign_id}",
            )
        )  # fmt: skip
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


def _worker(client: Client, queue: str, stack: Stack) -> Worker:
    deps = stack.deps
    campaigns = CampaignActivities(deps.session_factory, client, stack.settings)
    publishing = PublishingActivities(deps.session_factory, deps.platforms, deps.storage, deps.cipher)
    return Worker(
        client,
        task_queue=queue,
        workflows=[CampaignRunWorkflow, BatchStandIn, PublishContentWorkflow],
        activities=[
            campaigns.begin_run, campaigns.record_batch, campaigns.hand_off, campaigns.finish_run,
            ItemMaker(deps.session_factory).make_campaign_items,
            publishing.create_post, publishing.await_published, publishing.fail_target,
            publishing.cancel_targets, publishing.settle_content,
        ],
    )  # fmt: skip


async def _fire(env: WorkflowEnvironment, queue: str, seeded: Seeded, at: datetime) -> CampaignRunResult:
    """What the Schedule does at ``at``: start a run with no slot given; it finds its slot from the time it
    was fired for (``fired_at`` stands in for Temporal's TemporalScheduledStartTime, which the test server,
    having no Schedules, cannot set). Waited on with skipping off: an ``auto`` run has no timer of its own,
    and skipping now could only jump to a publishing timer."""
    with env.auto_time_skipping_disabled():
        return await env.client.execute_workflow(
            CampaignRunWorkflow.run,
            CampaignRunInput(campaign_id=seeded.campaign_id, account_id=seeded.account_id, fired_at=at),
            id=f"campaign-{seeded.campaign_id}-{at:%Y%m%dT%H%M}",
            task_queue=queue,
        )


async def _skip_to(env: WorkflowEnvironment, instant: datetime) -> None:
    now = await env.get_current_time()
    assert now <= instant, f"workflow time {now} is already past {instant}"
    await env.sleep(instant - now)


async def _published(env: WorkflowEnvironment, content_id: str) -> PublishResult:
    """The result of the item's publishing workflow, which the run started as a child. Its handle comes from
    ``get_workflow_handle``, and only handles from the test client's own ``start_workflow`` unlock skipping
    while their result is awaited: this one never skips time (the caller skips to the slot first), and its
    result long-poll ends empty after 20 s of real time ("No completion event found"), so we wait for the
    workflow to close before asking for its result."""
    handle = env.client.get_workflow_handle(publish_workflow_id(content_id), result_type=PublishResult)
    for _ in range(1200):
        if (await handle.describe()).status != WorkflowExecutionStatus.RUNNING:
            return await handle.result()
        await asyncio.sleep(0.1)
    raise AssertionError(f"{content_id}: publishing did not finish")


async def _posted_at(env: WorkflowEnvironment, content_id: str) -> datetime:
    """When, in workflow time, the item's post was made: the completion of its ``create_post`` step."""
    handle = env.client.get_workflow_handle(publish_workflow_id(content_id))
    step_names: dict[int, str] = {}
    async for event in handle.fetch_history_events():
        if event.HasField("activity_task_scheduled_event_attributes"):
            step_names[event.event_id] = event.activity_task_scheduled_event_attributes.activity_type.name
        if event.HasField("activity_task_completed_event_attributes"):
            scheduled = event.activity_task_completed_event_attributes.scheduled_event_id
            if step_names.get(scheduled) == "create_post":
                return event.event_time.ToDatetime(tzinfo=UTC)
    raise AssertionError(f"{content_id}: no post was made")


async def _sandbox_keys(http: httpx.AsyncClient, tenant: Tenant, account_id: str) -> list[str]:
    """The sandbox's own record: the idempotency key of each live post on the account."""
    posts: list[dict[str, Any]] = await sandbox_posts(http, tenant, account_id)
    return sorted(str(post["idempotencyKey"]) for post in posts)


async def _publication_keys(stack: Stack, content_ids: list[str]) -> dict[str, str]:
    """Each item's one publication: its idempotency key, as the sandbox stores it, checked published."""
    keys = {}
    async with transaction(stack.sessions) as session:
        for content_id in content_ids:
            (publication,) = await PublicationRepository(session).for_round(content_id, 1)
            assert publication.status == "published", (content_id, publication.status, publication.error_message)
            keys[content_id] = publication.idempotency_key
    return keys


@dataclass(frozen=True)
class Day:
    run: CampaignRunResult
    published: list[PublishResult]
    posted_at: list[datetime]


async def _campaign_day(stack: Stack, http: httpx.AsyncClient, tenant: Tenant, seeded: Seeded, day: date) -> Day:
    """One weekday of the campaign on a fresh test server (the day's publishing workflow is an abandoned child,
    whose completion stops that server from skipping time again: see tests/utils/time_skipping)."""
    queue = f"campaign-{uuid.uuid4().hex[:8]}"
    before = len(await _sandbox_keys(http, tenant, seeded.social_account_id))
    async with time_skipping_env() as env, _worker(env.client, queue, stack):
        # The Schedule fires leadTime before the slot, 06:00 local (test_campaign_schedule shows Temporal's own
        # firing times); the run must find 08:00 local of that day from it.
        fire_at = datetime.combine(day, time(6), PARIS).astimezone(UTC)
        await _skip_to(env, fire_at)
        run = await _fire(env, queue, seeded, fire_at)
        assert run.slot_at is not None, run
        # Handed to publishing, not posted: the day's post waits for its slot.
        assert len(await _sandbox_keys(http, tenant, seeded.social_account_id)) == before
        # The publishing timer fires as the skip reaches the slot; the real activities then post.
        await _skip_to(env, run.slot_at)
        published = [await _published(env, content_id) for content_id in run.outcomes]
        posted_at = [await _posted_at(env, content_id) for content_id in run.outcomes]
    return Day(run, published, posted_at)


@pytest.mark.parametrize("spring", [True, False], ids=["spring_forward", "fall_back"])
async def test_auto_campaign_posts_ten_times_at_eight_local_across_dst(
    stack: Stack, http: httpx.AsyncClient, tenant: Tenant, spring: bool
) -> None:
    seeded = await seed(http, stack, tenant, ReviewMode.AUTO, posts_per_slot=1)
    start = datetime.now(UTC).date() + timedelta(days=1)
    days = two_weeks_around(next_change(start + timedelta(days=7), spring=spring))
    ran = [await _campaign_day(stack, http, tenant, seeded, day) for day in days]
    results = [d.run for d in ran]
    published = [p for d in ran for p in d.published]
    posted = [t for d in ran for t in d.posted_at]
    content_ids = [c for r in results for c in r.outcomes]

    expected = [datetime.combine(day, time(8), PARIS).astimezone(UTC) for day in days]
    assert [r.slot_at for r in results] == expected
    assert len(set(content_ids)) == 10
    assert all(outcome == RunItemOutcome.SCHEDULED for r in results for outcome in r.outcomes.values())
    assert [(p.content_id, p.status, p.published) for p in published] == [
        (c, ContentStatus.PUBLISHED, 1) for c in content_ids
    ]
    # The sandbox holds exactly the ten posts, one per item (its idempotency key names item, account, round).
    keys = await _publication_keys(stack, content_ids)
    assert await _sandbox_keys(http, tenant, seeded.social_account_id) == sorted(keys.values())
    # Each made at its slot in workflow time: not before, and within a minute of it.
    late = [posted_at - slot for posted_at, slot in zip(posted, expected, strict=True)]
    assert all(timedelta(0) <= delay < POSTED_WITHIN for delay in late), late
    # 08:00 in Paris is 07:00 UTC in winter and 06:00 UTC in summer: the change moved the UTC hour, not the local.
    hours = [7] * 5 + [6] * 5 if spring else [6] * 5 + [7] * 5
    assert [(t.hour, t.minute) for t in posted] == [(hour, 0) for hour in hours]
    assert {t.astimezone(PARIS).strftime("%a %H:%M") for t in posted} == {
        f"{d} 08:00" for d in ("Mon", "Tue", "Wed", "Thu", "Fri")
    }
    async with transaction(stack.sessions) as session:
        runs = (await CampaignRunRepository(session).list(seeded.campaign_id, limit=20, cursor=None)).items
        assert len(runs) == 10
        assert all(run.status == "completed" for run in runs)
        moods = sorted(str(run.plan["batch"]["options"]["mood"]) for run in runs)
        assert moods == ["calm"] * 5 + ["sunny"] * 5  # rotated across runs


async def test_required_review_publishes_only_what_was_approved_in_time(
    env: WorkflowEnvironment, stack: Stack, http: httpx.AsyncClient, tenant: Tenant
) -> None:
    seeded = await seed(http, stack, tenant, ReviewMode.REQUIRED, posts_per_slot=3)
    queue = f"campaign-{uuid.uuid4().hex[:8]}"
    day = (await env.get_current_time()).astimezone(PARIS).date() + timedelta(days=2)
    while day.weekday() > 4:
        day += timedelta(days=1)
    fire_at = datetime.combine(day, time(6), PARIS).astimezone(UTC)
    slot_at = datetime.combine(day, time(8), PARIS).astimezone(UTC)
    async with _worker(env.client, queue, stack):
        await _skip_to(env, fire_at)
        with env.auto_time_skipping_disabled():
            handle = await env.client.start_workflow(
                CampaignRunWorkflow.run,
                CampaignRunInput(campaign_id=seeded.campaign_id, account_id=seeded.account_id, fired_at=fire_at),
                id=f"campaign-{seeded.campaign_id}-required",
                task_queue=queue,
            )
            content_ids = await _wait_for_items(stack.sessions, seeded.campaign_id, 3)
            # A person approves two of the three while the run waits for the slot.
            async with transaction(stack.sessions) as session:
                for content_id in content_ids[:2]:
                    item = await session.get(ContentItem, content_id)
                    assert item is not None and item.status == ContentStatus.PENDING_REVIEW
                    item.status = ContentStatus.APPROVED
            assert await _sandbox_keys(http, tenant, seeded.social_account_id) == []
        # Skipping on again: the run's timer fires at the slot, and it hands off what was approved by then.
        result = await handle.result()
        for content_id in content_ids[:2]:
            await _published(env, content_id)  # their slot has come: they post at once
        posted = [await _posted_at(env, c) for c in content_ids[:2]]

    assert result.slot_at == slot_at
    assert result.outcomes == {
        content_ids[0]: RunItemOutcome.SCHEDULED,
        content_ids[1]: RunItemOutcome.SCHEDULED,
        content_ids[2]: RunItemOutcome.SKIPPED_UNAPPROVED,
    }
    keys = await _publication_keys(stack, content_ids[:2])
    assert await _sandbox_keys(http, tenant, seeded.social_account_id) == sorted(keys.values())
    assert all(timedelta(0) <= at - slot_at < POSTED_WITHIN for at in posted), posted
    async with transaction(stack.sessions) as session:
        skipped = await session.get(ContentItem, content_ids[2])
        assert skipped is not None and skipped.status == ContentStatus.PENDING_REVIEW


async def _wait_for_items(sessions: async_sessionmaker[AsyncSession], campaign_id: str, count: int) -> list[str]:
    for _ in range(600):
        async with transaction(sessions) as session:
            page = await CampaignRunRepository(session).list(campaign_id, limit=1, cursor=None)
            items = [e["content_id"] for run in page.items for e in run.items if e.get("content_id")]
        if len(items) == count:
            return items
        await asyncio.sleep(0.05)
    raise AssertionError("the run never recorded its batch")
