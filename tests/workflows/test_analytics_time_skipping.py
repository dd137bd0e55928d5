"""Analytics syncs on the time-skipping test server: posts published to two sandbox accounts, then sync runs
six hours apart in workflow time (as the account's Schedule would start them; the test server has no
Schedules, so the test starts each run). Each run reads the sandbox's engagement at its own instant, so the
chart's points grow run after run, and the stats equal a sum the test computes from the sandbox's rule."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.analytics import AnalyticsActivities
from contracts.analytics import AnalyticsSyncInput
from domain.analytics import SyncOutcome
from domain.sandbox import sandbox_post_engagement
from store.models import Publication, SandboxPost
from tests.utils.factories import Tenant
from tests.utils.publishing import approved_content, sandbox_account, sandbox_posts, wait_for_publish
from tests.utils.stack import Stack
from tests.utils.time_skipping import time_skipping_env
from workflows.analytics_sync import AnalyticsSyncWorkflow

RUNS = 4
EVERY = timedelta(hours=6)


@pytest.fixture
async def env() -> AsyncIterator[WorkflowEnvironment]:
    async with time_skipping_env() as environment:
        yield environment


async def _publish_one(http: httpx.AsyncClient, tenant: Tenant) -> tuple[dict[str, Any], str]:
    content, profile = await approved_content(http, tenant)
    account = await sandbox_account(http, tenant, profile["id"])
    await http.post(f"/api/v1/content/{content['id']}/publish", headers=tenant.headers)
    assert (await wait_for_publish(http, tenant, content["id"]))["contentStatus"] == "published"
    (post,) = await sandbox_posts(http, tenant, account["id"])
    return account, str(post["id"])


async def _expected(stack: Stack, post_ids: list[str], at: datetime) -> dict[str, int]:
    """What the sandbox reports for these posts at ``at``, summed: the test's own arithmetic."""
    total = {"views": 0, "likes": 0, "comments": 0, "shares": 0}
    async with stack.sessions() as session:
        posts = (await session.scalars(select(SandboxPost).where(SandboxPost.id.in_(post_ids)))).all()
    for post in posts:
        for name, value in sandbox_post_engagement(post.id, at - post.created_at).items():
            total[name] += value + (post.likes if name == "likes" else post.views if name == "views" else 0)
    return total


async def test_scheduled_syncs_grow_the_engagement_and_stats_match_the_sandbox(
    stack: Stack, http: httpx.AsyncClient, tenant: Tenant, env: WorkflowEnvironment
) -> None:
    published = [await _publish_one(http, tenant) for _ in range(2)]
    post_ids = [post_id for _, post_id in published]
    # The test server keeps its own clock, far from the wall clock: date the posts as published at its now.
    start = await env.get_current_time()
    async with stack.sessions() as session:
        await session.execute(update(SandboxPost).where(SandboxPost.id.in_(post_ids)).values(created_at=start))
        await session.execute(
            update(Publication).where(Publication.platform_post_id.in_(post_ids)).values(published_at=start)
        )
        await session.commit()
    period = {"from": (start - timedelta(days=1)).isoformat(), "to": (start + timedelta(days=7)).isoformat()}
    deps = stack.deps
    activities = AnalyticsActivities(deps.session_factory, deps.platforms, deps.cipher)
    queue = f"analytics-{uuid.uuid4().hex[:8]}"
    liked: list[int] = []
    async with Worker(
        env.client,
        task_queue=queue,
        workflows=[AnalyticsSyncWorkflow],
        activities=[activities.begin_analytics_sync, activities.sync_metrics_page, activities.finish_analytics_sync],
    ):
        for run in range(RUNS):
            for account, _ in published:
                # Time moves only by the sleeps below: the server would otherwise skip ahead while a run
                # waits on its activities.
                with env.auto_time_skipping_disabled():
                    result = await env.client.execute_workflow(
                        AnalyticsSyncWorkflow.run,
                        AnalyticsSyncInput(owner_account_id=tenant.account_id, social_account_id=account["id"]),
                        id=f"analytics-sync-{account['id']}-{run}",
                        task_queue=queue,
                    )
                assert result.outcome == SyncOutcome.SYNCED and result.posts_synced == 1
            as_of = result.as_of
            chart = await http.get("/api/v1/analytics/engagement", params=period, headers=tenant.headers)
            liked.append(sum(point["likes"] + point["views"] for point in chart.json()["points"]))
            await env.sleep(EVERY)

    stats = (await http.get("/api/v1/analytics/stats", params=period, headers=tenant.headers)).json()
    expected = await _expected(stack, post_ids, as_of)
    assert liked == sorted(liked) and liked[-1] > liked[0], liked
    assert stats["postsPublished"] == 2
    assert (stats["views"], stats["likes"], stats["comments"], stats["shares"]) == (
        expected["views"],
        expected["likes"],
        expected["comments"],
        expected["shares"],
    )
    assert as_of - start >= EVERY * (RUNS - 1)
