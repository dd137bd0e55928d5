"""Periodic (a Temporal Schedule): find batch and job rows left ``queued`` by a crash between committing
the row and starting its workflow; restart the batches from their rows and fail the jobs with a clear
error (see ``activities.maintenance`` for why jobs are not restarted)."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from activities.maintenance import MaintenanceActivities
    from contracts.maintenance import (
        RECONCILE_WORKFLOW,
        FailComparisonInput,
        FailImportInput,
        FailJobInput,
        ReconcileInput,
        ReconcileResult,
        RestartBatchInput,
    )

# A few attempts: the next scheduled run picks up whatever this one could not settle.
_RETRY = RetryPolicy(initial_interval=timedelta(seconds=1), maximum_interval=timedelta(seconds=30), maximum_attempts=5)


@workflow.defn(name=RECONCILE_WORKFLOW)
class ReconcileStrandedWorkWorkflow:
    @workflow.run
    async def run(self, input: ReconcileInput) -> ReconcileResult:
        stranded = await workflow.execute_activity_method(
            MaintenanceActivities.find_stranded_work,
            input,
            start_to_close_timeout=timedelta(minutes=2),
            retry_policy=_RETRY,
        )
        restarted: list[str] = []
        for batch_id in stranded.batch_ids:
            started = await workflow.execute_activity_method(
                MaintenanceActivities.restart_batch,
                RestartBatchInput(batch_id=batch_id, task_queue=input.task_queue),
                start_to_close_timeout=timedelta(seconds=30),
                retry_policy=_RETRY,
            )
            if started:
                restarted.append(batch_id)
        failed: list[str] = []
        for job_id in stranded.job_ids:
            settled = await workflow.execute_activity_method(
                MaintenanceActivities.fail_stranded_job,
                FailJobInput(job_id=job_id),
                start_to_close_timeout=timedelta(seconds=30),
                retry_policy=_RETRY,
            )
            if settled:
                failed.append(job_id)
        failed_comparisons: list[str] = []
        for comparison_id in stranded.comparison_ids:
            settled = await workflow.execute_activity_method(
                MaintenanceActivities.fail_stranded_comparison,
                FailComparisonInput(comparison_id=comparison_id),
                start_to_close_timeout=timedelta(seconds=30),
                retry_policy=_RETRY,
            )
            if settled:
                failed_comparisons.append(comparison_id)
        failed_imports: list[str] = []
        for import_job_id in stranded.import_ids:
            settled = await workflow.execute_activity_method(
                MaintenanceActivities.fail_stranded_import,
                FailImportInput(import_job_id=import_job_id),
                start_to_close_timeout=timedelta(seconds=30),
                retry_policy=_RETRY,
            )
            if settled:
                failed_imports.append(import_job_id)
        return ReconcileResult(
            restarted_batch_ids=restarted,
            failed_job_ids=failed,
            failed_comparison_ids=failed_comparisons,
            failed_import_ids=failed_imports,
        )
