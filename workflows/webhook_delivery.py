"""One event to one endpoint: signed POSTs until the receiver answers 2xx, refuses for good (a 4xx other than
408/409/429), or 24 hours pass. The waits between attempts are workflow timers (durable across worker
restarts), doubling from a few seconds to an hour, longer when the receiver's Retry-After asks."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.webhooks import WebhookActivities
    from contracts.webhooks import WEBHOOK_DELIVERY_WORKFLOW, AttemptInput, DeliveryInput, DeliveryResult
    from domain.webhooks import RETRY_WINDOW, AttemptVerdict, DeliveryStatus
    from workflows.options import BOOKKEEPING_RETRY

# One attempt's own deadline is the POST's (AUTOPERSONAS_WEBHOOK_TIMEOUT_SECONDS, at most 60 s) plus two
# short transactions; Temporal retries the activity only for our own failures (database, worker crash).
ATTEMPT_TIMEOUT = timedelta(seconds=90)


@workflow.defn(name=WEBHOOK_DELIVERY_WORKFLOW)
class WebhookDeliveryWorkflow:
    @workflow.run
    async def run(self, input: DeliveryInput) -> DeliveryResult:
        deadline = workflow.now() + RETRY_WINDOW
        number = 0
        while True:
            number += 1
            workflow.set_current_details(f"attempt {number} of delivery {input.delivery_id}")
            outcome = await workflow.execute_activity_method(
                WebhookActivities.attempt_delivery,
                AttemptInput(
                    delivery_id=input.delivery_id, number=number, attempted_at=workflow.now(), deadline=deadline
                ),
                start_to_close_timeout=ATTEMPT_TIMEOUT,
                retry_policy=BOOKKEEPING_RETRY,
            )
            if outcome.verdict == AttemptVerdict.DELIVERED:
                return DeliveryResult(delivery_id=input.delivery_id, status=DeliveryStatus.SUCCEEDED, attempts=number)
            if outcome.next_delay_seconds is None:
                return DeliveryResult(delivery_id=input.delivery_id, status=DeliveryStatus.FAILED, attempts=number)
            await workflow.sleep(timedelta(seconds=outcome.next_delay_seconds))
