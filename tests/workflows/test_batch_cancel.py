"""Cancelling a batch stops items that have not started; started items finish whole or leave nothing."""

from __future__ import annotations

import asyncio

import httpx

from tests.utils.factories import Tenant, create_influencer, create_profile
from tests.utils.polling import wait_for_batch
from tests.utils.stack import Stack

COUNT = 60


async def test_cancel_stops_pending_items_and_leaves_no_half_made_ones(
    http: httpx.AsyncClient, stack: Stack, tenant: Tenant
) -> None:
    influencer = await create_influencer(http, tenant)
    profile = await create_profile(http, tenant, influencer["id"])
    started = await http.post(
        "/api/v1/content/generate", json={"profileId": profile["id"], "count": COUNT}, headers=tenant.headers
    )
    batch_id = started.json()["id"]
    for _ in range(400):
        progress = (await http.get(f"/api/v1/batches/{batch_id}", headers=tenant.headers)).json()
        if progress["counts"]["completed"] >= 2:
            break
        await asyncio.sleep(0.05)
    cancel = await http.post(f"/api/v1/batches/{batch_id}/cancel", headers=tenant.headers)
    assert cancel.status_code == 202

    batch = await wait_for_batch(http, tenant, batch_id)
    counts = batch["counts"]
    assert batch["status"] == "cancelled"
    assert counts["cancelled"] > 0
    assert counts["failed"] == 0, [i for i in batch["items"] if i["status"] == "failed"]
    assert counts["completed"] + counts["cancelled"] == COUNT, [
        i for i in batch["items"] if i["status"] not in ("completed", "cancelled")
    ]

    listing = await http.get("/api/v1/content", params={"batchId": batch_id, "limit": 100}, headers=tenant.headers)
    assert len(listing.json()["data"]) == counts["completed"]
    content_root = stack.settings.resolved_media_dir / tenant.account_id / "content"
    stored = [p for p in content_root.rglob("*") if p.is_file()] if content_root.exists() else []
    assert len(stored) == counts["completed"]

    again = await http.post(f"/api/v1/batches/{batch_id}/cancel", headers=tenant.headers)
    assert again.status_code == 409
