"""Periodic (a Temporal Schedule): find batch and job rows left ``queued`` by a crash between committing
the row and starting its workflow; restart the batches from their rows and fail the jobs with a clear
error (see ``activities.maintenance`` for why jobs are not restarted)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any, TypeVar

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
InputT = TypeVar("InputT")

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
        restarted = await _each(
            MaintenanceActivities.restart_batch,
            [RestartBatchInput(batch_id=row_id, task_queue=input.task_queue) for row_id in stranded.batch_ids],
            stranded.batch_ids,
        )
        failed = await _each(
            MaintenanceActivities.fail_stranded_job,
            [FailJobInput(job_id=row_id) for row_id in stranded.job_ids],
            stranded.job_ids,
        )
        failed_comparisons = await _each(
            MaintenanceActivities.fail_stranded_comparison,
            [FailComparisonInput(comparison_id=row_id) for row_id in stranded.comparison_ids],
            stranded.comparison_ids,
        )
        failed_imports = await _each(
            MaintenanceActivities.fail_stranded_import,
            [FailImportInput(import_job_id=row_id) for row_id in stranded.import_ids],
            stranded.import_ids,
        )
        return ReconcileResult(
            restarted_batch_ids=restarted,
            failed_job_ids=failed,
            failed_comparison_ids=failed_comparisons,
            failed_import_ids=failed_imports,
        )


async def _each(
    method: Callable[[Any, InputT], Awaitable[bool]], inputs: list[InputT], row_ids: list[str]
) -> list[str]:
    """Settle the rows one at a time, in order; the ids of those the activity actually moved."""
    settled: list[str] = []
    for row_id, row_input in zip(row_ids, inputs, strict=True):
        moved = await workflow.execute_activity_method(
            method, row_input, start_to_close_timeout=timedelta(seconds=30), retry_policy=_RETRY
        )
        if moved:
            settled.append(row_id)
    return settled
