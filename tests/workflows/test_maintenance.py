"""Periodic maintenance on real Temporal and each database: the reconciler restarts a batch stranded
``queued`` (committed, never started) and fails a stranded job; the purge removes expired idempotency
records; and the worker creates both Schedules when it starts."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from datetime import timedelta

import httpx
from sqlalchemy import select
from temporalio.client import ScheduleIntervalSpec

from contracts.generation import batch_workflow_id
from contracts.jobs import job_workflow_id
from contracts.maintenance import (
    PURGE_IDEMPOTENCY_WORKFLOW,
    RECONCILE_WORKFLOW,
    PurgeInput,
    PurgeResult,
    ReconcileInput,
    ReconcileResult,
    purge_idempotency_schedule_id,
    reconcile_schedule_id,
)
from contracts.social_import import import_workflow_id
from core.ids import new_id
from domain.batches import BatchKind, BatchStatus
from domain.imports import ImportStatus
from domain.jobs import JobKind, JobStatus
from domain.video import ComparisonStatus
from store.db import transaction
from store.models import Batch, IdempotencyRecord, ImportJob, Job, VideoComparison
from store.repositories.batches import BatchRepository
from store.types import utcnow
from tests.api.test_content import upload_content
from tests.utils.factories import Tenant, connect_sandbox, create_influencer, create_profile
from tests.utils.imports import start_import, wait_for_import
from tests.utils.polling import wait_for_batch, wait_for_job
from tests.utils.stack import Stack
from worker import run_worker

LONG_AGO = timedelta(hours=1)


async def reconcile(stack: Stack) -> ReconcileResult:
    return await stack.client.execute_workflow(
        RECONCILE_WORKFLOW,
        ReconcileInput(stranded_after_minutes=30, task_queue=stack.settings.task_queue),
        id=f"reconcile-test-{uuid.uuid4().hex[:8]}",
        task_queue=stack.settings.task_queue,
        result_type=ReconcileResult,
    )


class TestReconcileStrandedWork:
    async def test_stranded_batch_is_started_once_and_completes(
        self, http: httpx.AsyncClient, stack: Stack, tenant: Tenant
    ) -> None:
        influencer = await create_influencer(http, tenant)
        profile = await create_profile(http, tenant, influencer["id"])
        batch_id = new_id("bat")
        async with transaction(stack.sessions) as session:  # what a crash right after the commit leaves
            await BatchRepository(session).add(
                Batch(
                    id=batch_id, account_id=tenant.account_id, kind=BatchKind.CONTENT, status=BatchStatus.QUEUED,
                    total=2, influencer_id=influencer["id"], profile_id=profile["id"], params={},
                    workflow_id=batch_workflow_id(batch_id), created_at=utcnow() - LONG_AGO,
                )
            )
        first = await reconcile(stack)
        assert batch_id in first.restarted_batch_ids
        batch = await wait_for_batch(http, tenant, batch_id)
        assert batch["status"] == "completed"
        assert batch["counts"]["completed"] == 2
        second = await reconcile(stack)
        assert batch_id not in second.restarted_batch_ids

    async def test_stranded_job_is_marked_failed(self, http: httpx.AsyncClient, stack: Stack, tenant: Tenant) -> None:
        job_id = new_id("job")
        recent_id = new_id("job")
        async with transaction(stack.sessions) as session:
            for row_id, age in ((job_id, LONG_AGO), (recent_id, timedelta(0))):
                session.add(
                    Job(
                        id=row_id, account_id=tenant.account_id, kind=JobKind.WARDROBE, status=JobStatus.QUEUED,
                        params={}, workflow_id=job_workflow_id(JobKind.WARDROBE, row_id), created_at=utcnow() - age,
                    )
                )
        result = await reconcile(stack)
        assert job_id in result.failed_job_ids
        assert recent_id not in result.failed_job_ids  # a start may still be under way
        job = await wait_for_job(http, tenant, job_id)
        assert job["status"] == "failed"
        assert "never started" in str(job["error"])
        recent = (await http.get(f"/api/v1/jobs/{recent_id}", headers=tenant.headers)).json()
        assert recent["status"] == "queued"


    async def test_stranded_video_comparison_is_marked_failed(
        self, http: httpx.AsyncClient, stack: Stack, tenant: Tenant
    ) -> None:
        profile = await create_profile(http, tenant, (await create_influencer(http, tenant))["id"])
        content = await upload_content(http, tenant, profile["id"])
        comparison_id = new_id("vcmp")
        async with transaction(stack.sessions) as session:
            session.add(
                VideoComparison(
                    id=comparison_id, account_id=tenant.account_id, content_id=content["id"],
                    status=ComparisonStatus.QUEUED, params={}, workflow_id=f"video-comparison-{comparison_id}",
                    created_at=utcnow() - LONG_AGO,
                )
            )
        result = await reconcile(stack)
        assert comparison_id in result.failed_comparison_ids
        shown = (await http.get(f"/api/v1/video-comparisons/{comparison_id}", headers=tenant.headers)).json()
        assert shown["status"] == "failed"

    async def test_stranded_import_is_marked_failed_and_frees_the_account(
        self, http: httpx.AsyncClient, stack: Stack, tenant: Tenant
    ) -> None:
        profile = await create_profile(http, tenant, (await create_influencer(http, tenant))["id"])
        account = await connect_sandbox(http, tenant, profile["id"])
        import_id = new_id("imp")
        async with transaction(stack.sessions) as session:
            session.add(
                ImportJob(
                    id=import_id, account_id=tenant.account_id, social_account_id=account["id"],
                    profile_id=profile["id"], platform="sandbox", status=ImportStatus.QUEUED, max_posts=10,
                    workflow_id=import_workflow_id(import_id), created_at=utcnow() - LONG_AGO,
                )
            )  # fmt: skip
        blocked = await start_import(http, tenant, account["id"])
        assert blocked.status_code == 409 and import_id in blocked.json()["error"]["message"]
        result = await reconcile(stack)
        assert import_id in result.failed_import_ids
        shown = (await http.get(f"/api/v1/social-import/jobs/{import_id}", headers=tenant.headers)).json()
        assert shown["status"] == "failed"
        assert "never started" in str(shown["error"])
        again = await start_import(http, tenant, account["id"], includeMedia=False)
        assert again.status_code == 202, again.text
        assert (await wait_for_import(http, tenant, again.json()["id"]))["status"] == "completed"


class TestPurgeExpiredIdempotency:
    async def test_expired_records_go_and_live_ones_stay(self, stack: Stack, tenant: Tenant) -> None:
        async with transaction(stack.sessions) as session:
            for key, expires in (("old", utcnow() - timedelta(minutes=1)), ("live", utcnow() + timedelta(hours=1))):
                session.add(
                    IdempotencyRecord(api_key_id=tenant.key_id, key=key, request_hash="0" * 64, expires_at=expires)
                )
        result = await stack.client.execute_workflow(
            PURGE_IDEMPOTENCY_WORKFLOW,
            PurgeInput(),
            id=f"purge-test-{uuid.uuid4().hex[:8]}",
            task_queue=stack.settings.task_queue,
            result_type=PurgeResult,
        )
        assert result.purged >= 1
        async with transaction(stack.sessions) as session:
            query = select(IdempotencyRecord.key).where(IdempotencyRecord.api_key_id == tenant.key_id)
            keys = (await session.scalars(query)).all()
        assert list(keys) == ["live"]


class TestSchedules:
    async def test_worker_start_creates_both_schedules(self, stack: Stack) -> None:
        settings = stack.settings.model_copy(update={"task_queue": f"sched-{uuid.uuid4().hex[:8]}"})
        ids = [reconcile_schedule_id(settings.task_queue), purge_idempotency_schedule_id(settings.task_queue)]
        for _ in range(2):  # a restart updates the schedules it finds instead of failing
            worker = asyncio.create_task(run_worker(settings))
            try:
                descriptions = []
                for schedule_id in ids:
                    deadline = asyncio.get_running_loop().time() + 30
                    while True:
                        try:
                            descriptions.append(await stack.client.get_schedule_handle(schedule_id).describe())
                            break
                        except Exception:
                            assert asyncio.get_running_loop().time() < deadline, f"schedule {schedule_id} missing"
                            assert not worker.done(), worker
                            await asyncio.sleep(0.2)
            finally:
                worker.cancel()
                with contextlib.suppress(BaseException):
                    await worker
        reconcile_desc, purge_desc = descriptions
        assert reconcile_desc.schedule.action.workflow == RECONCILE_WORKFLOW  # type: ignore[attr-defined]
        assert purge_desc.schedule.action.workflow == PURGE_IDEMPOTENCY_WORKFLOW  # type: ignore[attr-defined]
        assert reconcile_desc.schedule.action.task_queue == settings.task_queue  # type: ignore[attr-defined]
        assert isinstance(reconcile_desc.schedule.spec.intervals[0], ScheduleIntervalSpec)
        for schedule_id in ids:
            await stack.client.get_schedule_handle(schedule_id).delete()
