"""One slot of a campaign: open the run, generate the slot's batch (the batch workflow as a child), apply
the review mode, and hand approved items to the publishing workflow scheduled at the slot.

``auto`` review: items are approved as soon as they exist and handed off at once; the publishing workflow
waits for the slot on its own durable timer. ``required``: the run waits on a timer until the slot, then
hands off what a person approved by then and reports the rest skipped."""

from __future__ import annotations

from datetime import datetime

from temporalio import workflow
from temporalio.common import SearchAttributeKey, SearchAttributePair, TypedSearchAttributes
from temporalio.exceptions import ChildWorkflowError, WorkflowAlreadyStartedError
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from activities.campaigns import CampaignActivities
    from contracts.campaigns import (
        CAMPAIGN_RUN_WORKFLOW,
        BeginRunInput,
        CampaignRunInput,
        CampaignRunResult,
        FinishRunInput,
        RunRef,
        StartFailed,
    )
    from contracts.generation import BATCH_WORKFLOW, BatchResult, batch_workflow_id
    from contracts.publishing import PUBLISH_WORKFLOW, PublishInput, publish_workflow_id
    from contracts.search import ACCOUNT_ID, BATCH_ID, CAMPAIGN_ID, CONTENT_ID, INFLUENCER_ID, PROFILE_ID
    from domain.campaigns import ReviewMode
    from workflows.options import BOOKKEEPING_RETRY, BOOKKEEPING_TIMEOUT

# Set by Temporal on every workflow a Schedule starts: the time the action was due (not when it ran).
SCHEDULED_START = SearchAttributeKey.for_datetime("TemporalScheduledStartTime")

# What a child takes over from the run (Temporal's own Scheduled* attributes are not ours to set).
INHERITED = (ACCOUNT_ID, INFLUENCER_ID, PROFILE_ID, CAMPAIGN_ID)


def _child_attributes(key: SearchAttributeKey[str], value: str) -> TypedSearchAttributes:
    """The run's own ids plus the child's. A run started without our attributes (a namespace where they
    are not registered, such as a test server) passes none: an unknown attribute would stop the child."""
    inherited = workflow.info().typed_search_attributes
    if inherited.get(ACCOUNT_ID) is None:
        return TypedSearchAttributes.empty
    pairs = [SearchAttributePair(k, v) for k in INHERITED if (v := inherited.get(k)) is not None]
    return TypedSearchAttributes([*pairs, SearchAttributePair(key, value)])


@workflow.defn(name=CAMPAIGN_RUN_WORKFLOW)
class CampaignRunWorkflow:
    @workflow.run
    async def run(self, input: CampaignRunInput) -> CampaignRunResult:
        info = workflow.info()
        fired_at: datetime = input.fired_at or info.typed_search_attributes.get(SCHEDULED_START) or workflow.now()
        plan = await workflow.execute_activity_method(
            CampaignActivities.begin_run,
            BeginRunInput(
                campaign_id=input.campaign_id,
                account_id=input.account_id,
                slot_at=input.slot_at,
                fired_at=fired_at,
                workflow_id=info.workflow_id,
                task_queue=info.task_queue,
            ),
            start_to_close_timeout=BOOKKEEPING_TIMEOUT,
            retry_policy=BOOKKEEPING_RETRY,
        )
        if plan.run_id is None or plan.batch is None or plan.slot_at is None:
            return CampaignRunResult(run_id=None, slot_at=plan.slot_at, skipped=plan.skipped)
        run = RunRef(run_id=plan.run_id)
        batch = plan.batch
        try:
            await workflow.execute_child_workflow(
                BATCH_WORKFLOW,
                batch,
                id=batch_workflow_id(batch.batch_id),
                result_type=BatchResult,
                search_attributes=_child_attributes(BATCH_ID, batch.batch_id),
            )
        except ChildWorkflowError as error:
            # The batch settles its own row; items it did not make are recorded failed below.
            workflow.logger.warning("campaign.batch_failed run=%s error=%s", plan.run_id, error)
        await workflow.execute_activity_method(
            CampaignActivities.record_batch,
            run,
            start_to_close_timeout=BOOKKEEPING_TIMEOUT,
            retry_policy=BOOKKEEPING_RETRY,
        )
        if plan.review == ReviewMode.REQUIRED and plan.slot_at > workflow.now():
            # What a person approves before this timer fires goes out at the slot; the rest is skipped.
            await workflow.sleep(plan.slot_at - workflow.now())
        hand_off = await workflow.execute_activity_method(
            CampaignActivities.hand_off, run, start_to_close_timeout=BOOKKEEPING_TIMEOUT, retry_policy=BOOKKEEPING_RETRY
        )
        failures = [f for f in [await self._publish(p) for p in hand_off.publishes] if f is not None]
        return await workflow.execute_activity_method(
            CampaignActivities.finish_run,
            FinishRunInput(run_id=plan.run_id, start_failures=failures),
            start_to_close_timeout=BOOKKEEPING_TIMEOUT,
            retry_policy=BOOKKEEPING_RETRY,
        )

    async def _publish(self, publish: PublishInput) -> StartFailed | None:
        """Start the item's publishing workflow, which outlives this run and posts at the slot."""
        try:
            await workflow.start_child_workflow(
                PUBLISH_WORKFLOW,
                publish,
                id=publish_workflow_id(publish.content_id),
                parent_close_policy=ParentClosePolicy.ABANDON,
                search_attributes=_child_attributes(CONTENT_ID, publish.content_id),
            )
        except WorkflowAlreadyStartedError as error:
            # Someone publishes this item by hand right now; theirs goes, the campaign's does not.
            return StartFailed(content_id=publish.content_id, message=f"its publish did not start: {error}")
        return None
