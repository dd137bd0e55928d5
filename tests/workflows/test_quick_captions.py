"""With the local text provider a batch's captions run as local activities in the chunk's worker: the
chunk's history schedules only its renders through the Temporal server, and records plan, caption and save
as markers, while every item still ends captioned. The batch's own bookkeeping (record the run, settle the
batch) is local too: its workflow dispatches no activity task at all, and the row still shows both."""

from __future__ import annotations

import httpx
from temporalio.api.enums.v1 import EventType

from contracts.generation import batch_workflow_id, chunk_workflow_id
from tests.utils.factories import Tenant, create_influencer, create_profile
from tests.utils.polling import wait_for_batch
from tests.utils.stack import Stack


async def test_a_local_batch_dispatches_only_its_renders(stack: Stack, http: httpx.AsyncClient, tenant: Tenant) -> None:
    profile = await create_profile(http, tenant, (await create_influencer(http, tenant))["id"])
    started = await http.post(
        "/api/v1/content/generate", json={"profileId": profile["id"], "count": 3}, headers=tenant.headers
    )
    assert started.status_code == 202, started.text
    batch = await wait_for_batch(http, tenant, started.json()["id"])
    assert batch["status"] == "completed"

    history = await stack.client.get_workflow_handle(chunk_workflow_id(batch["id"], 0)).fetch_history()
    scheduled = [
        event.activity_task_scheduled_event_attributes.activity_type.name
        for event in history.events
        if event.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
    ]
    markers = [event for event in history.events if event.event_type == EventType.EVENT_TYPE_MARKER_RECORDED]
    assert scheduled == ["render_item"] * 3
    # Per item a plan, a caption and a save: three local-activity markers each (beside the patch marker).
    assert len(markers) >= 9

    listing = await http.get("/api/v1/content", params={"batchId": batch["id"]}, headers=tenant.headers)
    captions = [item["caption"] for item in listing.json()["data"]]
    assert len(captions) == 3 and all(captions)


async def test_a_batch_keeps_its_bookkeeping_local(stack: Stack, http: httpx.AsyncClient, tenant: Tenant) -> None:
    profile = await create_profile(http, tenant, (await create_influencer(http, tenant))["id"])
    started = await http.post(
        "/api/v1/content/generate", json={"profileId": profile["id"], "count": 2}, headers=tenant.headers
    )
    assert started.status_code == 202, started.text
    batch = await wait_for_batch(http, tenant, started.json()["id"])

    history = await stack.client.get_workflow_handle(batch_workflow_id(batch["id"])).fetch_history()
    types = [event.event_type for event in history.events]
    assert EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED not in types
    # The patch marker, then one local-activity marker each for start_batch and finalize_batch.
    assert types.count(EventType.EVENT_TYPE_MARKER_RECORDED) == 3
    # What the two steps write is on the row: the run recorded at the start, the outcome at the end.
    assert batch["status"] == "completed"
    assert batch["runId"] == history.run_id
    assert batch["startedAt"] is not None and batch["finishedAt"] is not None
