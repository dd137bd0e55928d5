"""Periodic (a Temporal Schedule): delete idempotency records past their expiry, so the table holds only
the last ``IDEMPOTENCY_TTL_HOURS`` of keys."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from activities.maintenance import MaintenanceActivities
    from contracts.maintenance import PURGE_IDEMPOTENCY_WORKFLOW, PurgeInput, PurgeResult


@workflow.defn(name=PURGE_IDEMPOTENCY_WORKFLOW)
class PurgeExpiredIdempotencyWorkflow:
    @workflow.run
    async def run(self, input: PurgeInput) -> PurgeResult:
        purged = await workflow.execute_activity_method(
            MaintenanceActivities.purge_expired_idempotency,
            input,
            start_to_close_timeout=timedelta(minutes=2),
            retry_policy=RetryPolicy(maximum_interval=timedelta(seconds=30), maximum_attempts=5),
        )
        return PurgeResult(purged=purged)
