"""Activities of the periodic maintenance workflows: find batch, job and video-comparison rows stranded
``queued`` (committed, but the process died before their workflow started), restart or fail them, and purge
expired idempotency records.

Batches are restarted: the row holds everything ``BatchInput`` needs and its workflow id is derived from
the row, so a start that raced with a late original start is refused by Temporal. Jobs are failed with a
clear error instead: their row keeps only a summary of the input (photo keys, instructions and the like
live in the workflow input alone), so a job cannot be rebuilt faithfully for any kind; the caller sees
``failed`` and may simply ask again."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity
from temporalio.client import Client
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from contracts.generation import BATCH_WORKFLOW, BatchInput, GenerationOptions, item_concurrency_for
from contracts.maintenance import (
    FailComparisonInput,
    FailImportInput,
    FailJobInput,
    PurgeInput,
    ReconcileInput,
    RestartBatchInput,
    StrandedWork,
)
from contracts.search import search_attributes
from contracts.ui import api_memo
from core.settings import Settings
from domain.batches import BatchKind, BatchStatus
from domain.imports import ImportStatus
from domain.jobs import JobStatus
from domain.video import ComparisonStatus
from store.db import transaction
from store.repositories.batches import BatchRepository
from store.repositories.idempotency import IdempotencyRepository
from store.repositories.imports import ImportJobRepository
from store.repositories.jobs import JobRepository
from store.repositories.video import VideoComparisonRepository
from store.types import utcnow

STRANDED_JOB_ERROR = "this job never started (the service stopped before its workflow began); start it again"
STRANDED_COMPARISON_ERROR = (
    "this comparison never started (the service stopped before its workflow began); start it again"
)
STRANDED_IMPORT_ERROR = "this import never started (the service stopped before its workflow began); start it again"


class MaintenanceActivities:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession], client: Client, settings: Settings) -> None:
        self.session_factory = session_factory
        self.client = client
        self.settings = settings

    async def _workflow_exists(self, workflow_id: str) -> bool:
        try:
            await self.client.get_workflow_handle(workflow_id).describe()
        except RPCError as exc:
            if exc.status == RPCStatusCode.NOT_FOUND:
                return False
            raise
        return True

    @activity.defn
    async def find_stranded_work(self, input: ReconcileInput) -> StrandedWork:
        """Queued rows older than the threshold whose workflow Temporal has never heard of."""
        before = utcnow() - timedelta(minutes=input.stranded_after_minutes)
        async with transaction(self.session_factory) as session:
            batches = [(b.id, b.workflow_id) for b in await BatchRepository(session).queued_before(before, input.limit)]
            jobs = [(j.id, j.workflow_id) for j in await JobRepository(session).queued_before(before, input.limit)]
            comparisons = [
                (c.id, c.workflow_id)
                for c in await VideoComparisonRepository(session).queued_before(before, input.limit)
            ]
            imports = [
                (i.id, i.workflow_id) for i in await ImportJobRepository(session).queued_before(before, input.limit)
            ]
        batch_ids = [row_id for row_id, workflow_id in batches if not await self._workflow_exists(workflow_id)]
        job_ids = [row_id for row_id, workflow_id in jobs if not await self._workflow_exists(workflow_id)]
        comparison_ids = [row_id for row_id, workflow_id in comparisons if not await self._workflow_exists(workflow_id)]
        import_ids = [row_id for row_id, workflow_id in imports if not await self._workflow_exists(workflow_id)]
        activity.logger.info(
            "reconcile.found batches=%d jobs=%d comparisons=%d imports=%d",
            len(batch_ids), len(job_ids), len(comparison_ids), len(import_ids),
        )  # fmt: skip
        return StrandedWork(
            batch_ids=batch_ids, job_ids=job_ids, comparison_ids=comparison_ids, import_ids=import_ids
        )

    @activity.defn
    async def restart_batch(self, input: RestartBatchInput) -> bool:
        """Start the batch's workflow from its row; False when it is no longer queued or already started."""
        async with transaction(self.session_factory) as session:
            batch = await BatchRepository(session).get_any(input.batch_id)
            if batch is None or batch.status != BatchStatus.QUEUED:
                return False
            params = batch.params or {}
            # A collaboration batch names its members in its params (the first leads), not in influencer_id.
            members = [str(m) for m in params.get("member_ids") or []]
            lead = batch.influencer_id or (members[0] if members else None)
            if lead is None:
                batch.error = "the batch never started and names no influencer to start it for"
                await BatchRepository(session).mark(batch, BatchStatus.FAILED, finished_at=utcnow())
                return False
            batch_input = BatchInput(
                batch_id=batch.id,
                account_id=batch.account_id,
                kind=BatchKind(batch.kind),
                count=batch.total,
                influencer_id=lead,
                profile_id=batch.profile_id,
                options=GenerationOptions.model_validate(params),
                step_timeout_seconds=self.settings.generation_step_timeout_seconds,
                member_ids=members,
                collaboration_id=params.get("collaboration_id"),
                scene=params.get("scene"),
                item_concurrency=item_concurrency_for(self.settings.image_concurrency),
            )
            workflow_id = batch.workflow_id
            attributes = search_attributes(
                batch.account_id, influencer_id=batch.influencer_id, profile_id=batch.profile_id, batch_id=batch.id
            )
        try:
            handle = await self.client.start_workflow(
                BATCH_WORKFLOW, batch_input, id=workflow_id, task_queue=input.task_queue,
                search_attributes=attributes,
                # The API's start would have said more; the reconciler knows the batch row only.
                static_summary=f"Batch of {batch_input.count} ({batch_input.kind}), restarted by the reconciler",
                memo=api_memo(f"/batches/{input.batch_id}"),
            )
        except WorkflowAlreadyStartedError:
            return False
        async with transaction(self.session_factory) as session:
            batch = await BatchRepository(session).get_any(input.batch_id)
            if batch is not None:
                batch.run_id = handle.result_run_id
        activity.logger.info("reconcile.batch_restarted batch=%s", input.batch_id)
        return True

    @activity.defn
    async def fail_stranded_job(self, input: FailJobInput) -> bool:
        async with transaction(self.session_factory) as session:
            repo = JobRepository(session)
            job = await repo.get_any(input.job_id)
            if job is None or job.status != JobStatus.QUEUED:
                return False
            await repo.finish(job.id, JobStatus.FAILED, None, STRANDED_JOB_ERROR)
        activity.logger.info("reconcile.job_failed job=%s", input.job_id)
        return True

    @activity.defn
    async def fail_stranded_comparison(self, input: FailComparisonInput) -> bool:
        """A video comparison whose workflow never started: failed, like a job (its options are on the row,
        but the caller may want to ask again with others)."""
        async with transaction(self.session_factory) as session:
            repo = VideoComparisonRepository(session)
            comparison = await repo.get_any(input.comparison_id)
            if comparison is None or comparison.status != ComparisonStatus.QUEUED:
                return False
            await repo.set_status(comparison, ComparisonStatus.FAILED, STRANDED_COMPARISON_ERROR)
        activity.logger.info("reconcile.comparison_failed comparison=%s", input.comparison_id)
        return True

    @activity.defn
    async def fail_stranded_import(self, input: FailImportInput) -> bool:
        """An import whose workflow never started: failed, so the account is free to be imported again (a
        queued import holds it: a new start answers 409 naming the queued one)."""
        async with transaction(self.session_factory) as session:
            repo = ImportJobRepository(session)
            job = await repo.get_any(input.import_job_id)
            if job is None or job.status != ImportStatus.QUEUED:
                return False
            await repo.mark(job, ImportStatus.FAILED, error=STRANDED_IMPORT_ERROR, finished_at=utcnow())
        activity.logger.info("reconcile.import_failed import=%s", input.import_job_id)
        return True

    @activity.defn
    async def purge_expired_idempotency(self, input: PurgeInput) -> int:
        async with transaction(self.session_factory) as session:
            purged = await IdempotencyRepository(session).purge_expired()
        activity.logger.info("idempotency.purged count=%d", purged)
        return purged
