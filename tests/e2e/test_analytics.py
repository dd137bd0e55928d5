"""Analytics end to end on the real stack (SQLite and PostgreSQL, real Temporal and worker): connecting an
account creates its Schedule, a triggered sync stores snapshots of the sandbox's own numbers, the four
endpoints answer from them, and disconnecting removes the Schedule."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from temporalio.service import RPCError

from contracts.analytics import ANALYTICS_SYNC_WORKFLOW, AnalyticsSyncInput, AnalyticsSyncResult, analytics_schedule_id
from domain.accounts import SocialAccountStatus
from domain.analytics import COUNTERS, SyncOutcome
from domain.sandbox import sandbox_post_engagement
from store.models import AccountMetricSnapshot, MetricSnapshot, PostMetrics, SandboxPost, SocialAccount
from tests.utils.factories import Tenant
from tests.utils.publishing import approved_content, sandbox_account, wait_for_publish
from tests.utils.stack import Stack


async def _published(http: httpx.AsyncClient, tenant: Tenant) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    content, profile = await approved_content(http, tenant)
    account = await sandbox_account(http, tenant, profile["id"])
    started = await http.post(f"/api/v1/content/{content['id']}/publish", headers=tenant.headers)
    assert started.status_code in (200, 202), started.text
    status = await wait_for_publish(http, tenant, content["id"])
    assert status["contentStatus"] == "published", status
    return content, profile, account


async def _synced(stack: Stack, account_id: str, runs: int) -> list[MetricSnapshot]:
    deadline = asyncio.get_running_loop().time() + 60
    while True:
        async with stack.sessions() as session:
            rows = list(
                (
                    await session.scalars(
                        select(MetricSnapshot)
                        .where(MetricSnapshot.social_account_id == account_id)
                        .order_by(MetricSnapshot.collected_at)
                    )
                ).all()
            )
            # The run's last step records the account (followers) after the posts: wait for the whole run.
            finished = await session.scalar(
                select(func.count())
                .select_from(AccountMetricSnapshot)
                .where(AccountMetricSnapshot.social_account_id == account_id)
            )
        if len(rows) >= runs and (finished or 0) >= runs:
            return rows
        assert asyncio.get_running_loop().time() < deadline, f"{len(rows)} snapshots after 60 s"
        await asyncio.sleep(0.3)


async def _stats(http: httpx.AsyncClient, tenant: Tenant, **params: str) -> dict[str, Any]:
    response = await http.get("/api/v1/analytics/stats", params=params, headers=tenant.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_sync_stores_the_sandbox_numbers_and_the_endpoints_add_them_up(
    stack: Stack, http: httpx.AsyncClient, tenant: Tenant
) -> None:
    content, profile, account = await _published(http, tenant)
    schedule = await stack.client.get_schedule_handle(analytics_schedule_id(account["id"])).describe()
    assert schedule.schedule.spec.intervals[0].every == timedelta(minutes=stack.settings.analytics_sync_minutes)

    triggered = await http.post(f"/api/v1/accounts/{account['id']}/analytics/sync", headers=tenant.headers)
    assert triggered.status_code == 202, triggered.text
    (snapshot,) = await _synced(stack, account["id"], 1)
    async with stack.sessions() as session:
        post = await session.get(SandboxPost, snapshot.platform_post_id)
        latest = await session.scalar(select(PostMetrics).where(PostMetrics.social_account_id == account["id"]))
    assert post is not None and latest is not None
    # The sandbox's own numbers for this post at the run's instant.
    expected = sandbox_post_engagement(post.id, snapshot.collected_at - post.created_at)
    assert (snapshot.views, snapshot.likes, snapshot.comments, snapshot.shares) == (
        expected["views"],
        expected["likes"],
        expected["comments"],
        expected["shares"],
    )
    assert latest.content_id == content["id"] and latest.profile_id == profile["id"]

    stats = await _stats(http, tenant)
    assert stats["postsPublished"] == 1
    assert (stats["views"], stats["likes"]) == (expected["views"], expected["likes"])
    engagements = expected["likes"] + expected["comments"] + expected["shares"]
    assert stats["engagements"] == engagements
    assert stats["engagementRate"] == round(engagements / expected["views"], 4)
    assert stats["followers"] is not None and stats["followers"] > 0
    assert stats["previous"]["postsPublished"] == 0
    assert (await _stats(http, tenant, platform="x"))["postsPublished"] == 0
    assert (await _stats(http, tenant, profileId=profile["id"]))["postsPublished"] == 1

    chart = await http.get("/api/v1/analytics/engagement", params={"profileId": profile["id"]}, headers=tenant.headers)
    assert chart.status_code == 200, chart.text
    points = chart.json()["points"]
    assert len(points) in (30, 31)  # every day of the default period, empty ones as zeros
    assert sum(p["likes"] for p in points) == expected["likes"]
    assert sum(p["postsPublished"] for p in points) == 1

    top = await http.get("/api/v1/analytics/top-content", params={"metric": "likes"}, headers=tenant.headers)
    (item,) = top.json()["data"]
    assert item["contentId"] == content["id"] and item["mediaUrl"]
    assert [p["platform"] for p in item["platforms"]] == ["sandbox"]

    platforms = await http.get("/api/v1/analytics/platforms", headers=tenant.headers)
    assert [(p["platform"], p["views"]) for p in platforms.json()["data"]] == [("sandbox", expected["views"])]

    gone = await http.delete(f"/api/v1/accounts/{account['id']}", headers=tenant.headers)
    assert gone.status_code == 204
    with pytest.raises(RPCError):
        await stack.client.get_schedule_handle(analytics_schedule_id(account["id"])).describe()
    # The history outlives the account.
    assert (await _stats(http, tenant))["postsPublished"] == 1


async def test_a_post_deleted_on_the_platform_keeps_its_last_reading(
    stack: Stack, http: httpx.AsyncClient, tenant: Tenant
) -> None:
    _, _, account = await _published(http, tenant)
    await http.post(f"/api/v1/accounts/{account['id']}/analytics/sync", headers=tenant.headers)
    (first,) = await _synced(stack, account["id"], 1)
    async with stack.sessions() as session:
        post = await session.get(SandboxPost, first.platform_post_id)
        assert post is not None
        post.deleted_at = datetime.now(UTC)
        await session.commit()

    await http.post(f"/api/v1/accounts/{account['id']}/analytics/sync", headers=tenant.headers)
    deadline = asyncio.get_running_loop().time() + 60
    while True:
        async with stack.sessions() as session:
            latest = await session.scalar(select(PostMetrics).where(PostMetrics.social_account_id == account["id"]))
        if latest is not None and latest.gone_at is not None:
            break
        assert asyncio.get_running_loop().time() < deadline, "the deleted post was never marked gone"
        await asyncio.sleep(0.3)
    assert {name: getattr(latest, name) for name in COUNTERS} == {name: getattr(first, name) for name in COUNTERS}
    assert (await _stats(http, tenant))["postsPublished"] == 1


async def test_bad_periods_are_refused_naming_the_field(http: httpx.AsyncClient, tenant: Tenant) -> None:
    backwards = await http.get(
        "/api/v1/analytics/stats",
        params={"from": "2026-02-01T00:00:00Z", "to": "2026-01-01T00:00:00Z"},
        headers=tenant.headers,
    )
    too_long = await http.get(
        "/api/v1/analytics/engagement",
        params={"from": "2024-01-01T00:00:00Z", "to": "2026-01-01T00:00:00Z"},
        headers=tenant.headers,
    )
    bad_metric = await http.get("/api/v1/analytics/top-content", params={"metric": "x"}, headers=tenant.headers)
    too_many = await http.get("/api/v1/analytics/top-content", params={"limit": 51}, headers=tenant.headers)

    assert backwards.status_code == 422 and backwards.json()["error"]["details"][0]["field"] == "from"
    assert too_long.status_code == 422
    assert bad_metric.status_code == 422 and too_many.status_code == 422


async def test_an_account_that_needs_reauth_is_skipped_and_shown_as_such(
    stack: Stack, http: httpx.AsyncClient, tenant: Tenant
) -> None:
    _, _, account = await _published(http, tenant)
    async with stack.sessions() as session:
        row = await session.get(SocialAccount, account["id"])
        assert row is not None
        row.status = SocialAccountStatus.NEEDS_REAUTH
        await session.commit()

    refused = await http.post(f"/api/v1/accounts/{account['id']}/analytics/sync", headers=tenant.headers)
    # What the account's Schedule starts, run here directly (the trigger above is refused for this account).
    result = await stack.client.execute_workflow(
        ANALYTICS_SYNC_WORKFLOW,
        AnalyticsSyncInput(owner_account_id=tenant.account_id, social_account_id=account["id"]),
        id=f"analytics-sync-{account['id']}-reauth",
        task_queue=stack.settings.task_queue,
        result_type=AnalyticsSyncResult,
    )
    stats = await _stats(http, tenant)

    assert refused.status_code == 409 and refused.json()["error"]["code"] == "account_not_active"
    assert result.outcome == SyncOutcome.SKIPPED_NEEDS_REAUTH and result.posts_synced == 0
    assert [(s["accountId"], s["reason"]) for s in stats["skippedAccounts"]] == [
        (account["id"], "skipped_needs_reauth")
    ]
    assert stats["postsPublished"] == 0  # nothing was read for it
