"""Record the event histories that the replay test replays: ``python -m tests.workflows.record_histories``.

Run it after changing a workflow *on purpose* (and bump the workflow with ``workflow.patched`` when old
runs may still be open). Without re-recording, a change that breaks determinism fails the replay test."""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

import httpx
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from contracts.search import ACCOUNT_ID, BATCH_ID, CAMPAIGN_ID, CONTENT_ID, INFLUENCER_ID, PROFILE_ID
from tests.api.test_influencers import png_bytes
from tests.utils.databases import create_sqlite_database
from tests.utils.factories import create_influencer, create_profile, make_tenant
from tests.utils.polling import wait_for_batch, wait_for_job
from tests.utils.publishing import sandbox_account, wait_for_publish
from tests.utils.stack import Stack, running_stack, stack_settings

HISTORIES = Path(__file__).parent / "histories"


async def _save(client: Client, workflow_id: str, name: str) -> None:
    history = await client.get_workflow_handle(workflow_id).fetch_history()
    (HISTORIES / f"{name}.json").write_text(history.to_json())
    print(f"recorded {name}: {len(history.events)} events")


async def record() -> None:
    temporal = str(Path(sys.executable).parent / "temporal")
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=temporal,
        data_converter=pydantic_data_converter,
        search_attributes=[ACCOUNT_ID, INFLUENCER_ID, PROFILE_ID, CONTENT_ID, BATCH_ID, CAMPAIGN_ID],
    )
    try:
        with tempfile.TemporaryDirectory() as tmp:
            url = await create_sqlite_database(Path(tmp))
            settings = stack_settings(Path(tmp), url, env.client.service_client.config.target_host)
            async with (
                running_stack(settings, env.client) as stack,
                httpx.AsyncClient(base_url=stack.base_url, timeout=60) as http,
            ):
                if "--only-video" in sys.argv:
                    await _exercise_video(stack.client, http, await make_tenant(stack.sessions))
                    return
                if "--only-import" in sys.argv:
                    await _exercise_import(stack, http, await make_tenant(stack.sessions))
                    return
                if "--only-campaign" in sys.argv:
                    await _exercise_campaign(stack, http, await make_tenant(stack.sessions))
                    return
                if "--only-maintenance" not in sys.argv:
                    await _exercise(stack.client, http, await make_tenant(stack.sessions))
                    await _exercise_video(stack.client, http, await make_tenant(stack.sessions))
                    await _exercise_import(stack, http, await make_tenant(stack.sessions))
                    await _exercise_campaign(stack, http, await make_tenant(stack.sessions))
                await _exercise_maintenance(stack.client, settings.task_queue)
    finally:
        await env.shutdown()


async def _exercise(client: Client, http: httpx.AsyncClient, tenant: object) -> None:
    from tests.utils.factories import Tenant

    assert isinstance(tenant, Tenant)
    influencer = await create_influencer(http, tenant)
    profile = await create_profile(http, tenant, influencer["id"])
    batch = (
        await http.post(
            "/api/v1/content/generate", json={"profileId": profile["id"], "count": 3}, headers=tenant.headers
        )
    ).json()
    batch = await wait_for_batch(http, tenant, batch["id"])
    await _save(client, batch["workflowId"], "batch_generation")
    await _save(client, f"{batch['workflowId']}-chunk-0", "generation_chunk")
    content_id = batch["items"][0]["resultId"]

    regenerate = await http.post(f"/api/v1/content/{content_id}/regenerate", headers=tenant.headers)
    await wait_for_job(http, tenant, regenerate.headers["x-job-id"])
    await _save(client, f"regenerate-{content_id}", "regenerate_content")
    tune = await http.post(f"/api/v1/content/{content_id}/fine-tune-caption", json={}, headers=tenant.headers)
    await wait_for_job(http, tenant, tune.headers["x-job-id"])
    await _save(client, f"fine-tune-caption-{content_id}", "fine_tune_caption")

    for path, body, name in (
        (f"/api/v1/characters/{influencer['id']}/wardrobe/generate", {"count": 2}, "wardrobe_generation"),
        (
            f"/api/v1/profiles/{profile['id']}/content-directions/draft",
            {"prompt": "city running"},
            "content_directions_draft",
        ),
    ):
        job = (await http.post(path, json=body, headers=tenant.headers)).json()
        job = await wait_for_job(http, tenant, job["id"])
        await _save(client, job["workflowId"], name)

    photo = await http.post(
        "/api/v1/characters/analyze-photos",
        files=[("files", ("p.png", png_bytes((200, 40, 40)), "image/png"))],
        headers=tenant.headers,
    )
    analysis = await wait_for_job(http, tenant, photo.json()["id"])
    await _save(client, analysis["workflowId"], "analyze_photos")

    await http.post(f"/api/v1/content/{content_id}/approve", headers=tenant.headers)
    await sandbox_account(http, tenant, profile["id"])
    await http.post(f"/api/v1/content/{content_id}/publish", headers=tenant.headers)
    await wait_for_publish(http, tenant, content_id)
    await _save(client, f"publish-{content_id}", "publish_content")
    await http.post(f"/api/v1/content/{content_id}/unpublish", headers=tenant.headers)
    await wait_for_publish(http, tenant, content_id)
    await client.get_workflow_handle(f"unpublish-{content_id}").result()
    await _save(client, f"unpublish-{content_id}", "unpublish_content")

    deleted = await http.delete(f"/api/v1/influencers/{influencer['id']}", headers=tenant.headers)
    assert deleted.status_code == 204
    handle = client.get_workflow_handle(f"cleanup-influencer-{influencer['id']}")
    await handle.result()
    await _save(client, handle.id, "influencer_cleanup")


async def _exercise_video(client: Client, http: httpx.AsyncClient, tenant: object) -> None:
    """A video job and a two-variant comparison, short renders of a manual upload."""
    from tests.api.test_content import upload_content
    from tests.e2e.test_video import textured_png
    from tests.utils.factories import Tenant

    assert isinstance(tenant, Tenant)
    influencer = await create_influencer(http, tenant)
    profile = await create_profile(http, tenant, influencer["id"])
    content_id = (await upload_content(http, tenant, profile["id"], image=textured_png()))["id"]
    video = await http.post(f"/api/v1/content/{content_id}/video", json={"durationSeconds": 3}, headers=tenant.headers)
    job = await wait_for_job(http, tenant, video.json()["id"], timeout=240)
    assert job["status"] == "completed", job
    await _save(client, f"video-{content_id}", "render_video")
    comparison = await http.post(
        f"/api/v1/content/{content_id}/video-comparison", json={"durationSeconds": 3}, headers=tenant.headers
    )
    workflow_id = comparison.json()["workflowId"]
    await client.get_workflow_handle(workflow_id).result()
    await _save(client, workflow_id, "video_comparison")


async def _exercise_import(stack: Stack, http: httpx.AsyncClient, tenant: object) -> None:
    """An import of a seeded sandbox history: pages, media downloads and the finish."""
    from tests.utils.factories import Tenant
    from tests.utils.imports import seed_history, start_import, wait_for_import

    assert isinstance(tenant, Tenant)
    influencer = await create_influencer(http, tenant)
    profile = await create_profile(http, tenant, influencer["id"])
    account = await sandbox_account(http, tenant, profile["id"])
    await seed_history(stack, tenant, account["id"], 12)
    started = await start_import(http, tenant, account["id"])
    job = await wait_for_import(http, tenant, started.json()["id"])
    assert job["status"] == "completed", job
    await _save(stack.client, job["workflowId"], "social_import")


async def _exercise_campaign(stack: Stack, http: httpx.AsyncClient, tenant: object) -> None:
    """A triggered campaign run in auto review: its batch as a child, the hand-off to publishing, the finish."""
    from tests.e2e.test_campaigns import exercise_campaign
    from tests.utils.factories import Tenant

    assert isinstance(tenant, Tenant)
    done = await exercise_campaign(stack, http, tenant)
    await _save(stack.client, done["trigger"]["workflowId"], "campaign_run")


async def _exercise_maintenance(client: Client, task_queue: str) -> None:
    from contracts.maintenance import PURGE_IDEMPOTENCY_WORKFLOW, RECONCILE_WORKFLOW, PurgeInput, ReconcileInput

    await client.execute_workflow(
        RECONCILE_WORKFLOW, ReconcileInput(task_queue=task_queue), id="reconcile-record", task_queue=task_queue
    )
    await _save(client, "reconcile-record", "reconcile_stranded_work")
    await client.execute_workflow(PURGE_IDEMPOTENCY_WORKFLOW, PurgeInput(), id="purge-record", task_queue=task_queue)
    await _save(client, "purge-record", "purge_idempotency")


if __name__ == "__main__":
    asyncio.run(record())
