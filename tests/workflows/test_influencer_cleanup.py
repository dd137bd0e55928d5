"""DELETE /influencers/:id answers at once; the cleanup workflow then cancels the influencer's running
work, deletes its media and purges its rows."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import httpx
from temporalio import workflow
from temporalio.client import WorkflowExecutionStatus
from temporalio.worker import Worker

from contracts.cleanup import InfluencerCleanupResult, influencer_cleanup_workflow_id
from contracts.search import search_attributes
from store.db import transaction
from store.repositories.influencers import InfluencerRepository
from tests.api.test_influencers import png_bytes
from tests.utils.factories import Tenant, create_influencer
from tests.utils.polling import wait_for_batch
from tests.utils.publishing import (
    approved_content,
    sandbox_account,
    sandbox_posts,
    wait_for_publish,
    wait_for_unpublished,
)
from tests.utils.stack import Stack


@workflow.defn(sandboxed=False)
class PendingWorkStandIn:
    """Stands for any long-running work of an influencer (a batch, a publish) that cleanup must stop."""

    @workflow.run
    async def run(self) -> None:
        await workflow.wait_condition(lambda: False, timeout=timedelta(days=1))


async def test_delete_hides_at_once_then_cleans_up_media_work_and_rows(
    http: httpx.AsyncClient, stack: Stack, tenant: Tenant
) -> None:
    influencer = await create_influencer(http, tenant)
    inf_id = influencer["id"]
    upload = await http.post(
        f"/api/v1/influencers/{inf_id}/references",
        files=[("files", ("f.png", png_bytes((9, 9, 9)), "image/png"))],
        data={"views": ["front"]},
        headers=tenant.headers,
    )
    media_url = upload.json()["referenceImages"][0]["url"]
    assert (await http.get(media_url)).status_code == 200

    side_queue = f"side-{uuid.uuid4().hex[:8]}"
    async with Worker(stack.client, task_queue=side_queue, workflows=[PendingWorkStandIn]):
        pending = await stack.client.start_workflow(
            PendingWorkStandIn.run,
            id=f"pending-{inf_id}",
            task_queue=side_queue,
            search_attributes=search_attributes(tenant.account_id, influencer_id=inf_id),
        )
        await _wait_visible(stack, inf_id)

        response = await http.delete(f"/api/v1/influencers/{inf_id}", headers=tenant.headers)
        assert response.status_code == 204
        assert (await http.get(f"/api/v1/influencers/{inf_id}", headers=tenant.headers)).status_code == 404

        handle = stack.client.get_workflow_handle(
            influencer_cleanup_workflow_id(inf_id), result_type=InfluencerCleanupResult
        )
        result = await asyncio.wait_for(handle.result(), 60)
        assert result.cancelled_workflow_ids == [pending.id]
        assert result.media_deleted == 1
        assert result.purged is True
        assert (await pending.describe()).status == WorkflowExecutionStatus.CANCELED

    assert (await http.get(media_url)).status_code == 404
    async with transaction(stack.sessions) as session:
        assert await InfluencerRepository(session).get_any(inf_id) is None


async def test_second_delete_is_404_and_other_accounts_cannot_delete(
    http: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    influencer = await create_influencer(http, tenant)
    assert (
        await http.delete(f"/api/v1/influencers/{influencer['id']}", headers=other_tenant.headers)
    ).status_code == 404
    assert (await http.get(f"/api/v1/influencers/{influencer['id']}", headers=tenant.headers)).status_code == 200
    assert (await http.delete(f"/api/v1/influencers/{influencer['id']}", headers=tenant.headers)).status_code == 204
    assert (await http.delete(f"/api/v1/influencers/{influencer['id']}", headers=tenant.headers)).status_code == 404


async def _wait_visible(stack: Stack, influencer_id: str) -> None:
    """Visibility is eventually consistent; cleanup must see the work it is meant to cancel."""
    query = f"InfluencerId = '{influencer_id}' AND ExecutionStatus = 'Running'"
    for _ in range(100):
        if [w async for w in stack.client.list_workflows(query)]:
            return
        await asyncio.sleep(0.1)
    raise AssertionError("the stand-in workflow never became visible")


async def test_delete_removes_what_it_owns_but_keeps_live_posts(
    http: httpx.AsyncClient, stack: Stack, tenant: Tenant
) -> None:
    """Content items, previews, batches, jobs, references and every file of them go; a published item stays
    with its publication rows and can still be unpublished."""
    published, profile = await approved_content(http, tenant)
    inf_id = published["influencerId"]
    account = await sandbox_account(http, tenant, profile["id"])
    assert (await http.post(f"/api/v1/content/{published['id']}/publish", headers=tenant.headers)).status_code == 202
    assert (await wait_for_publish(http, tenant, published["id"]))["contentStatus"] == "published"

    generated = await http.post(
        "/api/v1/content/generate", json={"profileId": profile["id"], "count": 2}, headers=tenant.headers
    )
    content_batch = await wait_for_batch(http, tenant, generated.json()["id"])
    previews_started = await http.post(
        f"/api/v1/influencers/{inf_id}/previews", json={"count": 2}, headers=tenant.headers
    )
    await wait_for_batch(http, tenant, previews_started.json()["id"])
    previews = (await http.get(f"/api/v1/influencers/{inf_id}/previews", headers=tenant.headers)).json()["data"]
    doomed = [
        (await http.get(f"/api/v1/content/{item['resultId']}", headers=tenant.headers)).json()
        for item in content_batch["items"]
    ]
    media_urls = [c["mediaUrl"] for c in doomed] + [p["mediaUrl"] for p in previews]
    assert len(media_urls) == 4
    assert [(await http.get(url)).status_code for url in media_urls] == [200] * 4

    assert (await http.delete(f"/api/v1/influencers/{inf_id}", headers=tenant.headers)).status_code == 204
    handle = stack.client.get_workflow_handle(
        influencer_cleanup_workflow_id(inf_id), result_type=InfluencerCleanupResult
    )
    result = await asyncio.wait_for(handle.result(), 60)
    assert result.purged is True

    listed = (await http.get("/api/v1/content", params={"influencerId": inf_id}, headers=tenant.headers)).json()
    assert [c["id"] for c in listed["data"]] == [published["id"]]
    batches = (await http.get("/api/v1/batches", params={"limit": 100}, headers=tenant.headers)).json()["data"]
    assert [b["id"] for b in batches if b.get("influencerId") == inf_id] == []
    assert {b["id"] for b in batches}.isdisjoint({content_batch["id"], previews_started.json()["id"]})
    for item in doomed:
        assert (await http.get(f"/api/v1/content/{item['id']}", headers=tenant.headers)).status_code == 404
    assert (await http.get(f"/api/v1/influencers/{inf_id}/previews", headers=tenant.headers)).status_code == 404
    assert [(await http.get(url)).status_code for url in media_urls] == [404] * 4

    kept = (await http.get(f"/api/v1/content/{published['id']}", headers=tenant.headers)).json()
    assert kept["status"] == "published"
    assert (await http.get(kept["mediaUrl"])).status_code == 200
    pulled = await http.post(f"/api/v1/content/{published['id']}/unpublish", headers=tenant.headers)
    assert pulled.status_code in (200, 202), pulled.text
    await wait_for_unpublished(http, tenant, published["id"])
    assert await sandbox_posts(http, tenant, account["id"]) == []
