"""Pull a published item: delete its posts where the platform allows it, report where it does not, and
settle the item's status."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.publishing import PublishingActivities
    from contracts.publishing import UNPUBLISH_WORKFLOW, PublishResult, SettleInput, UnpublishInput
    from workflows.options import BOOKKEEPING_RETRY, BOOKKEEPING_TIMEOUT, PROVIDER_RETRY


@workflow.defn(name=UNPUBLISH_WORKFLOW)
class UnpublishContentWorkflow:
    @workflow.run
    async def run(self, input: UnpublishInput) -> PublishResult:
        await workflow.execute_activity_method(
            PublishingActivities.delete_post,
            input,
            start_to_close_timeout=timedelta(minutes=5),
            retry_policy=PROVIDER_RETRY,
        )
        result: PublishResult = await workflow.execute_activity_method(
            PublishingActivities.settle_content,
            SettleInput(account_id=input.account_id, content_id=input.content_id, round=input.round),
            start_to_close_timeout=BOOKKEEPING_TIMEOUT,
            retry_policy=BOOKKEEPING_RETRY,
        )
        return result
