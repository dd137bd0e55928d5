"""Contracts of the periodic maintenance workflows (run by Temporal Schedules): the reconciler of stranded
batch/job rows and the purge of expired idempotency records."""

from __future__ import annotations

from pydantic import Field

from contracts.base import Contract

RECONCILE_WORKFLOW = "ReconcileStrandedWorkWorkflow"
PURGE_IDEMPOTENCY_WORKFLOW = "PurgeExpiredIdempotencyWorkflow"

# A row committed but not started within this long is stranded (a start takes well under a second).
STRANDED_AFTER_MINUTES = 10
RECONCILE_EVERY_MINUTES = 5
PURGE_EVERY_MINUTES = 60


def reconcile_schedule_id(task_queue: str) -> str:
    return f"{task_queue}-reconcile-stranded-work"


def purge_idempotency_schedule_id(task_queue: str) -> str:
    return f"{task_queue}-purge-expired-idempotency"


class ReconcileInput(Contract):
    stranded_after_minutes: int = Field(default=STRANDED_AFTER_MINUTES, ge=0)
    task_queue: str
    limit: int = Field(default=200, ge=1, le=1000, description="rows looked at per run; the next run takes the rest")


class StrandedWork(Contract):
    batch_ids: list[str]
    job_ids: list[str]
    comparison_ids: list[str] = []
    import_ids: list[str] = []


class ReconcileResult(Contract):
    restarted_batch_ids: list[str]
    failed_job_ids: list[str]
    failed_comparison_ids: list[str] = []
    failed_import_ids: list[str] = []


class FailComparisonInput(Contract):
    comparison_id: str


class FailImportInput(Contract):
    import_job_id: str


class RestartBatchInput(Contract):
    batch_id: str
    task_queue: str


class FailJobInput(Contract):
    job_id: str


class PurgeInput(Contract):
    """Empty today; a single input object so fields can be added later without breaking histories."""


class PurgeResult(Contract):
    purged: int
