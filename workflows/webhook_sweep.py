"""Periodic (a Temporal Schedule): dispatch webhook events whose prompt dispatch was lost (the activity that
recorded them crashed after its commit, or Temporal was unreachable for a moment)."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from activities.webhooks import WebhookActivities
    from contracts.webhooks import WEBHOOK_SWEEP_WORKFLOW, SweepInput, SweepResult


@workflow.defn(name=WEBHOOK_SWEEP_WORKFLOW)
class DispatchWebhookEventsWorkflow:
    @workflow.run
    async def run(self, input: SweepInput) -> SweepResult:
        # A few attempts: the next scheduled run picks up whatever this one could not dispatch.
        result: SweepResult = await workflow.execute_activity_method(
            WebhookActivities.sweep_undispatched,
            input,
            start_to_close_timeout=timedelta(minutes=2),
            retry_policy=RetryPolicy(maximum_interval=timedelta(seconds=30), maximum_attempts=5),
        )
        return result
