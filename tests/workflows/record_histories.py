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
                if "--only-webhooks" in sys.argv:
                    await _exercise_webhooks(stack, http, await make_tenant(stack.sessions))
                    return
                if "--only-import" in sys.argv:
                    await _exercise_import(stack, http, await make_tenant(stack.sessions))
                    return
                if "--only-voice" in sys.argv:
                    await _exercise_voice(stack.client, http, await make_tenant(stack.sessions))
                    return
                if "--only-analytics" in sys.argv:
                    await _exercise_analytics(stack, http, await make_tenant(stack.sessions))
                    return
                if "--only-experiment" in sys.argv:
                    await _exercise_experiment(stack, http, await make_tenant(stack.sessions))
                    return
                if "--only-collaboration" in sys.argv:
                    await _exercise_collaboration(stack.client, http, await make_tenant(stack.sessions))
                    return
                if "--only-campaign" in sys.argv:
                    await _exercise_campaign(stack, http, await make_tenant(stack.sessions))
                    return
                if "--only-maintenance" not in sys.argv:
                    await _exercise(stack.client, http, await make_tenant(stack.sessions))
                    await _exercise_video(stack.client, http, await make_tenant(stack.sessions))
                    await _exercise_import(stack, http, await make_tenant(stack.sessions))
                    await _exercise_webhooks(stack, http, await make_tenant(stack.sessions))
                    await _exercise_voice(stack.client, http, await make_tenant(stack.sessions))
                    await _exercise_analytics(stack, http, await make_tenant(stack.sessions))
                    await _exercise_experiment(stack, http, await make_tenant(stack.sessions))
                    await _exercise_collaboration(stack.client, http, await make_tenant(stack.sessions))
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


async def _exercise_collaboration(client: Client, http: httpx.AsyncClient, tenant: object) -> None:
    """The batch and chunk workflows running a collaboration batch: plan, render and caption with every member."""
    from tests.utils.factories import Tenant

    assert isinstance(tenant, Tenant)
    members = [await create_influencer(http, tenant, name=name) for name in ("Ana", "Ben")]
    profile = await create_profile(http, tenant, members[0]["id"])
    body = {"name": "Duo", "influencerIds": [m["id"] for m in members], "profileId": profile["id"], "count": 2}
    collaboration = (await http.post("/api/v1/collaborations", json=body, headers=tenant.headers)).json()
    batch = await wait_for_batch(http, tenant, collaboration["batchId"])
    await _save(client, batch["workflowId"], "batch_generation_collaboration")
    await _save(client, f"{batch['workflowId']}-chunk-0", "generation_chunk_collaboration")


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


async def _exercise_webhooks(stack: Stack, http: httpx.AsyncClient, tenant: object) -> None:
    """A batch.completed delivery that meets one 500 then a 200 (an attempt, a timer, an attempt), and a sweep
    run that dispatches an event left undispatched."""
    from contracts.webhooks import WEBHOOK_SWEEP_WORKFLOW, SweepInput, SweepResult, delivery_workflow_id
    from domain.webhooks import EventType
    from store.db import transaction
    from store.repositories.webhooks import record_event
    from tests.utils.factories import Tenant
    from tests.utils.webhooks import register_webhook, running_receiver, wait_for_deliveries

    assert isinstance(tenant, Tenant)
    with running_receiver([500]) as (_, url):
        webhook = await register_webhook(http, tenant, url, events=["batch.completed", "import.completed"])
        influencer = await create_influencer(http, tenant)
        profile = await create_profile(http, tenant, influencer["id"])
        batch = (
            await http.post(
                "/api/v1/content/generate", json={"profileId": profile["id"], "count": 1}, headers=tenant.headers
            )
        ).json()
        await wait_for_batch(http, tenant, batch["id"])
        [delivery] = await wait_for_deliveries(http, tenant, webhook["id"])
        assert delivery["status"] == "succeeded" and len(delivery["attempts"]) == 2, delivery
        await _save(stack.client, delivery_workflow_id(delivery["id"]), "webhook_delivery")
        async with transaction(stack.sessions) as session:
            await record_event(session, tenant.account_id, EventType.IMPORT_COMPLETED, {"id": "imp_record"})
        task_queue = stack.settings.task_queue
        result = await stack.client.execute_workflow(
            WEBHOOK_SWEEP_WORKFLOW,
            SweepInput(task_queue=task_queue, older_than_seconds=0),
            id="webhook-sweep-record",
            task_queue=task_queue,
            result_type=SweepResult,
        )
        assert result.dispatched_event_ids, result
        await wait_for_deliveries(http, tenant, webhook["id"], settled=2)
        await _save(stack.client, "webhook-sweep-record", "webhook_sweep")
async def _exercise_voice(client: Client, http: httpx.AsyncClient, tenant: object) -> None:
    """A voice clone that reaches ``ready`` (one 35 s sample), and voice-grounded captions for a profile."""
    from tests.e2e.test_voice_captions import CHATTY, _add, _managed
    from tests.providers.wire_servers import Reply, WireServer
    from tests.utils.audio import buzz_wav
    from tests.utils.factories import Tenant

    assert isinstance(tenant, Tenant)
    influencer = await create_influencer(http, tenant)
    added = await http.post(
        f"/api/v1/characters/{influencer['id']}/voice-samples",
        files={"file": ("a.wav", buzz_wav(35.0, 140.0), "audio/wav")},
        headers=tenant.headers,
    )
    assert added.status_code == 201, added.text
    workflow_id = f"voice-clone-{influencer['id']}"
    await client.get_workflow_handle(workflow_id).result()
    await _save(client, workflow_id, "voice_clone")
    profile_id = await _managed(http, tenant, "Recorded")
    await _add(http, tenant, profile_id, CHATTY)
    image = png_bytes((200, 140, 60))
    with WireServer(lambda request: Reply(200, image, {"Content-Type": "image/png"})) as server:
        started = await http.post(
            f"/api/v1/profiles/{profile_id}/generate-caption",
            json={"imageUrl": f"{server.base_url}/photo.png", "count": 2},
            headers=tenant.headers,
        )
    job = await wait_for_job(http, tenant, started.json()["id"])
    assert job["status"] == "completed", job
    await _save(client, f"voice-caption-{job['id']}", "voice_caption")
async def _exercise_analytics(stack: Stack, http: httpx.AsyncClient, tenant: object) -> None:
    """A sync of an account with one published post: begin, one page, followers and the run's record."""
    from contracts.analytics import ANALYTICS_SYNC_WORKFLOW, AnalyticsSyncInput
    from tests.utils.factories import Tenant
    from tests.utils.publishing import approved_content

    assert isinstance(tenant, Tenant)
    content, profile = await approved_content(http, tenant)
    account = await sandbox_account(http, tenant, profile["id"])
    await http.post(f"/api/v1/content/{content['id']}/publish", headers=tenant.headers)
    await wait_for_publish(http, tenant, content["id"])
    sync = AnalyticsSyncInput(owner_account_id=tenant.account_id, social_account_id=account["id"])
    await stack.client.execute_workflow(
        ANALYTICS_SYNC_WORKFLOW, sync, id="analytics-record", task_queue=stack.settings.task_queue
    )
    await _save(stack.client, "analytics-record", "analytics_sync")


async def _exercise_experiment(stack: Stack, http: httpx.AsyncClient, tenant: object) -> None:
    """An experiment of two finished variants on two sandbox accounts, with the shortest window (a minute of
    real time on the dev server): open the wave, publish it as a child, wait, measure, decide."""
    from tests.utils.experiments import finished_comparison
    from tests.utils.factories import Tenant
    from tests.utils.publishing import approved_content

    assert isinstance(tenant, Tenant)
    content, profile = await approved_content(http, tenant)
    accounts = [await sandbox_account(http, tenant, profile["id"]) for _ in range(2)]
    comparison_id = await finished_comparison(stack, tenant, content["id"])
    started = await http.post(
        f"/api/v1/video-comparisons/{comparison_id}/experiment",
        json={"accountIds": [a["id"] for a in accounts], "window": "1m"},
        headers=tenant.headers,
    )
    assert started.status_code == 202, started.text
    workflow_id = f"experiment-{comparison_id}"
    await stack.client.get_workflow_handle(workflow_id).result()
    await _save(stack.client, workflow_id, "video_experiment")
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
