"""Publishing over HTTP on a real Temporal server, to the sandbox platform: now, scheduled, unpublished,
retried, and never twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from store.db import transaction
from store.models import Publication
from tests.utils.factories import Tenant
from tests.utils.publishing import approved_content, sandbox_account, sandbox_posts, wait_for_publish
from tests.utils.stack import Stack


async def test_publish_now_to_the_profiles_accounts(http: httpx.AsyncClient, tenant: Tenant) -> None:
    content, profile = await approved_content(http, tenant)
    account = await sandbox_account(http, tenant, profile["id"])
    started = await http.post(f"/api/v1/content/{content['id']}/publish", headers=tenant.headers)
    assert started.status_code == 202, started.text
    assert started.json()["workflowId"] == f"publish-{content['id']}"
    status = await wait_for_publish(http, tenant, content["id"])
    assert status["contentStatus"] == "published"
    [target] = status["targets"]
    assert target["status"] == "published"
    assert target["accountId"] == account["id"]
    assert target["url"]
    page = await http.get(target["url"])
    assert page.status_code == 200
    assert content["caption"].split()[0] in page.text
    posts = await sandbox_posts(http, tenant, account["id"])
    assert [p["id"] for p in posts] == [target["platformPostId"]]
    item = (await http.get(f"/api/v1/content/{content['id']}", headers=tenant.headers)).json()
    assert item["status"] == "published"


async def test_publish_needs_approval_and_an_account(http: httpx.AsyncClient, tenant: Tenant) -> None:
    content, profile = await approved_content(http, tenant)
    no_account = await http.post(f"/api/v1/content/{content['id']}/publish", headers=tenant.headers)
    assert no_account.status_code == 422
    assert no_account.json()["error"]["details"][0]["field"] == "accountIds"
    await http.post(f"/api/v1/content/{content['id']}/reject", json={"reason": "no"}, headers=tenant.headers)
    await sandbox_account(http, tenant, profile["id"])
    rejected = await http.post(f"/api/v1/content/{content['id']}/publish", headers=tenant.headers)
    assert rejected.status_code == 409
    assert "rejected" in rejected.json()["error"]["message"]


async def test_scheduled_publish_waits_and_can_be_called_off(http: httpx.AsyncClient, tenant: Tenant) -> None:
    content, profile = await approved_content(http, tenant)
    account = await sandbox_account(http, tenant, profile["id"])
    when = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
    started = await http.post(
        f"/api/v1/content/{content['id']}/publish", json={"scheduledAt": when}, headers=tenant.headers
    )
    assert started.status_code == 202, started.text
    assert started.json()["contentStatus"] == "scheduled"
    assert started.json()["targets"][0]["status"] == "scheduled"
    again = await http.post(f"/api/v1/content/{content['id']}/publish", headers=tenant.headers)
    assert again.status_code == 409

    pulled = await http.post(f"/api/v1/content/{content['id']}/unpublish", headers=tenant.headers)
    assert pulled.status_code in (200, 202), pulled.text
    status = await wait_for_publish(http, tenant, content["id"])
    assert status["targets"][0]["status"] == "cancelled"
    assert status["contentStatus"] == "approved"
    assert await sandbox_posts(http, tenant, account["id"]) == []


async def test_unpublish_deletes_the_published_post(http: httpx.AsyncClient, tenant: Tenant) -> None:
    content, profile = await approved_content(http, tenant)
    account = await sandbox_account(http, tenant, profile["id"])
    await http.post(f"/api/v1/content/{content['id']}/publish", headers=tenant.headers)
    await wait_for_publish(http, tenant, content["id"])
    assert len(await sandbox_posts(http, tenant, account["id"])) == 1
    pulled = await http.post(f"/api/v1/content/{content['id']}/unpublish", headers=tenant.headers)
    assert pulled.status_code in (200, 202), pulled.text
    status = await wait_for_publish(http, tenant, content["id"])
    assert status["targets"][0]["status"] == "unpublished"
    assert status["contentStatus"] == "approved"
    assert await sandbox_posts(http, tenant, account["id"]) == []


async def test_lost_response_after_create_still_posts_once(http: httpx.AsyncClient, tenant: Tenant) -> None:
    content, profile = await approved_content(http, tenant)
    account = await sandbox_account(http, tenant, profile["id"], {"mode": "after_create", "times": 2})
    await http.post(f"/api/v1/content/{content['id']}/publish", headers=tenant.headers)
    status = await wait_for_publish(http, tenant, content["id"])
    assert status["targets"][0]["status"] == "published"
    assert status["targets"][0]["attempts"] >= 2
    assert len(await sandbox_posts(http, tenant, account["id"])) == 1


async def test_transient_errors_are_retried(http: httpx.AsyncClient, tenant: Tenant) -> None:
    content, profile = await approved_content(http, tenant)
    account = await sandbox_account(http, tenant, profile["id"], {"mode": "transient", "times": 2})
    await http.post(f"/api/v1/content/{content['id']}/publish", headers=tenant.headers)
    status = await wait_for_publish(http, tenant, content["id"])
    assert status["targets"][0]["status"] == "published"
    assert status["targets"][0]["attempts"] == 3
    assert len(await sandbox_posts(http, tenant, account["id"])) == 1


async def test_permanent_error_fails_at_once_then_retry_publishes(http: httpx.AsyncClient, tenant: Tenant) -> None:
    content, profile = await approved_content(http, tenant)
    account = await sandbox_account(http, tenant, profile["id"], {"mode": "permanent", "times": 1})
    await http.post(f"/api/v1/content/{content['id']}/publish", headers=tenant.headers)
    status = await wait_for_publish(http, tenant, content["id"])
    [target] = status["targets"]
    assert target["status"] == "failed"
    assert target["attempts"] == 1
    assert target["errorCode"] == "PermanentProviderError"
    assert target["errorMessage"]
    assert status["contentStatus"] == "publish_failed"
    assert await sandbox_posts(http, tenant, account["id"]) == []

    await http.put(
        f"/api/v1/accounts/{account['id']}/sandbox-faults", json={"mode": "none", "times": 1}, headers=tenant.headers
    )
    retried = await http.post(f"/api/v1/content/{content['id']}/publish/retry", headers=tenant.headers)
    assert retried.status_code == 202, retried.text
    status = await wait_for_publish(http, tenant, content["id"])
    assert status["targets"][0]["status"] == "published"
    assert len(await sandbox_posts(http, tenant, account["id"])) == 1
    nothing = await http.post(f"/api/v1/content/{content['id']}/publish/retry", headers=tenant.headers)
    assert nothing.status_code == 409


async def test_unpublish_on_a_platform_without_delete_is_a_clear_409(
    http: httpx.AsyncClient, stack: Stack, tenant: Tenant
) -> None:
    content, _ = await approved_content(http, tenant)
    # A TikTok post as a finished publish would have recorded it (TikTok itself is not needed for this).
    async with transaction(stack.sessions) as session:
        session.add(
            Publication(
                id="pub_tiktok_1",
                account_id=tenant.account_id,
                content_id=content["id"],
                social_account_id="acc_t",
                platform="tiktok",
                round=1,
                status="published",
                platform_post_id="v1",
                idempotency_key="k",
                workflow_id=f"publish-{content['id']}",
            )
        )
    response = await http.post(f"/api/v1/content/{content['id']}/unpublish", headers=tenant.headers)
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "unsupported_by_platform"
    assert "tiktok" in error["message"]
