"""A stand-in for the batch workflow (same name) for campaign runs on the time-skipping server: its one
activity (``make_campaign_items``, in campaign_standins) writes the batch's content rows. Kept apart, with
only Temporal and contracts imports, because the workflow sandbox re-imports the module that defines it."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from contracts.generation import BATCH_WORKFLOW, BatchInput, BatchResult
    from domain.batches import BatchStatus


@workflow.defn(name=BATCH_WORKFLOW)
class BatchStandIn:
    @workflow.run
    async def run(self, input: BatchInput) -> BatchResult:
        made: int = await workflow.execute_activity(
            "make_campaign_items", input, result_type=int, start_to_close_timeout=timedelta(seconds=30)
        )
        return BatchResult(batch_id=input.batch_id, status=BatchStatus.COMPLETED, completed=made, failed=0, cancelled=0)

