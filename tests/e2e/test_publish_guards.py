"""Guards around a live post: content that is published (or on its way) cannot be deleted until it is
unpublished, and concurrent publishes of one item start it once and refuse the rest with 409."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import httpx

from tests.utils.factories import Tenant
from tests.utils.publishing import (
    approved_content,
    sandbox_account,
    sandbox_posts,
    wait_for_publish,
    wait_for_unpublished,
)


class TestDeletingPublishedContent:
    async def test_published_item_is_409_until_unpublished(self, http: httpx.AsyncClient, tenant: Tenant) -> None:
        content, profile = await approved_content(http, tenant)
        account = await sandbox_account(http, tenant, profile["id"])
        started = await http.post(f"/api/v1/content/{content['id']}/publish", headers=tenant.headers)
        assert started.status_code == 202, started.text
        assert (await wait_for_publish(http, tenant, content["id"]))["contentStatus"] == "published"

        refused = await http.delete(f"/api/v1/content/{content['id']}", headers=tenant.headers)
        assert refused.status_code == 409, refused.text
        error = refused.json()["error"]
        assert error["code"] == "invalid_transition"
        assert error["details"]["status"] == "published"
        assert "published" in error["message"]
        # Nothing was forgotten: the item, its publication and the live post are all still there.
        assert (await http.get(f"/api/v1/content/{content['id']}", headers=tenant.headers)).status_code == 200
        assert len(await sandbox_posts(http, tenant, account["id"])) == 1

        pulled = await http.post(f"/api/v1/content/{content['id']}/unpublish", headers=tenant.headers)
        assert pulled.status_code in (200, 202), pulled.text
        await wait_for_unpublished(http, tenant, content["id"])
        deleted = await http.delete(f"/api/v1/content/{content['id']}", headers=tenant.headers)
        assert deleted.status_code == 204, deleted.text

    async def test_scheduled_item_is_409_naming_the_status(self, http: httpx.AsyncClient, tenant: Tenant) -> None:
        content, profile = await approved_content(http, tenant)
        await sandbox_account(http, tenant, profile["id"])
        when = (datetime.now(UTC) + timedelta(hours=2)).isoformat()
        started = await http.post(
            f"/api/v1/content/{content['id']}/publish", json={"scheduledAt": when}, headers=tenant.headers
        )
        assert started.status_code == 202, started.text
        refused = await http.delete(f"/api/v1/content/{content['id']}", headers=tenant.headers)
        assert refused.status_code == 409
        assert refused.json()["error"]["details"]["status"] == "scheduled"
        await http.post(f"/api/v1/content/{content['id']}/unpublish", headers=tenant.headers)


class TestConcurrentPublish:
    async def test_three_concurrent_publishes_start_one(self, http: httpx.AsyncClient, tenant: Tenant) -> None:
        content, profile = await approved_content(http, tenant)
        account = await sandbox_account(http, tenant, profile["id"])
        answers = await asyncio.gather(
            *(http.post(f"/api/v1/content/{content['id']}/publish", headers=tenant.headers) for _ in range(3))
        )
        codes = sorted(a.status_code for a in answers)
        assert codes == [202, 409, 409], [a.text for a in answers]
        assert {a.json()["error"]["code"] for a in answers if a.status_code == 409} == {"already_running"}
        status = await wait_for_publish(http, tenant, content["id"])
        assert [t["status"] for t in status["targets"]] == ["published"]
        assert len(await sandbox_posts(http, tenant, account["id"])) == 1

    async def test_three_concurrent_retries_start_one(self, http: httpx.AsyncClient, tenant: Tenant) -> None:
        content, profile = await approved_content(http, tenant)
        account = await sandbox_account(http, tenant, profile["id"], {"mode": "permanent", "times": 1})
        await http.post(f"/api/v1/content/{content['id']}/publish", headers=tenant.headers)
        failed = await wait_for_publish(http, tenant, content["id"])
        assert [t["status"] for t in failed["targets"]] == ["failed"]
        await http.put(
            f"/api/v1/accounts/{account['id']}/sandbox-faults", json={"mode": "none"}, headers=tenant.headers
        )
        answers = await asyncio.gather(
            *(http.post(f"/api/v1/content/{content['id']}/publish/retry", headers=tenant.headers) for _ in range(3))
        )
        codes = sorted(a.status_code for a in answers)
        assert codes == [202, 409, 409], [a.text for a in answers]
        status = await wait_for_publish(http, tenant, content["id"])
        assert [t["status"] for t in status["targets"]] == ["published"]
        assert len(await sandbox_posts(http, tenant, account["id"])) == 1
