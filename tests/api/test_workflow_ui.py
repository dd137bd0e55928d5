"""What the Temporal UI shows of work the API starts: a static summary and details set at the start (by the
one starter), current details kept up to date by the workflow, and a memo with the resource's API path.
Read back with the Temporal client, as the UI reads them."""

from __future__ import annotations

import httpx
from temporalio.api.sdk.v1 import WorkflowMetadata
from temporalio.client import Client

from tests.utils.factories import Tenant, create_influencer, create_profile
from tests.utils.polling import wait_for_batch, wait_for_job
from tests.utils.stack import Stack


async def current_details(client: Client, workflow_id: str) -> str:
    metadata = await client.get_workflow_handle(workflow_id).query(
        "__temporal_workflow_metadata", result_type=WorkflowMetadata
    )
    return metadata.current_details


async def test_batch_shows_summary_progress_and_api_path(http: httpx.AsyncClient, tenant: Tenant, stack: Stack) -> None:
    influencer = await create_influencer(http, tenant, name="Mia Laurent")
    profile = await create_profile(http, tenant, influencer["id"])
    started = await http.post(
        "/api/v1/content/generate", json={"profileId": profile["id"], "count": 3}, headers=tenant.headers
    )
    assert started.status_code == 202, started.text
    batch = await wait_for_batch(http, tenant, started.json()["id"])
    assert batch["status"] == "completed"

    description = await stack.client.get_workflow_handle(batch["workflowId"]).describe()
    assert await description.static_summary() == f"Batch of 3 for Mia Laurent ({profile['id']})"
    details = await description.static_details()
    assert details is not None
    assert f"GET /api/v1/batches/{batch['id']}" in details
    assert f"ProfileId: `{profile['id']}`" in details
    assert (await description.memo())["apiPath"] == f"/api/v1/batches/{batch['id']}"
    assert await current_details(stack.client, batch["workflowId"]) == "3/3 done, 0 failed"

    chunk = await stack.client.get_workflow_handle(f"{batch['workflowId']}-chunk-0").describe()
    assert await chunk.static_summary() == f"Items 1-3 of 3 of batch {batch['id']}"
    assert await current_details(stack.client, chunk.id) == "3/3 done, 0 failed"


async def test_job_shows_summary_and_job_path(http: httpx.AsyncClient, tenant: Tenant, stack: Stack) -> None:
    influencer = await create_influencer(http, tenant, name="Noor Haddad")
    answer = await http.post(
        f"/api/v1/characters/{influencer['id']}/wardrobe/generate", json={"count": 2}, headers=tenant.headers
    )
    assert answer.status_code in (200, 202), answer.text
    job_id = answer.json()["id"]
    job = await wait_for_job(http, tenant, job_id)

    description = await stack.client.get_workflow_handle(job["workflowId"]).describe()
    assert await description.static_summary() == f"Wardrobe of 2 pieces for Noor Haddad ({influencer['id']})"
    assert (await description.memo())["apiPath"] == f"/api/v1/jobs/{job_id}"
