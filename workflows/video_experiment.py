"""Publish a video comparison's variants as an A/B experiment and keep the winner: wave by wave (variants on
different accounts go out together; variants sharing an account go out a window apart), each wave published
by the ordinary ``PublishContentWorkflow`` as a child, then a durable timer waits out the window, then the
wave's metrics are read. Last, the variant with the highest engagement rate becomes the item's video and the
figures stay on the comparison."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ChildWorkflowError, WorkflowAlreadyStartedError

with workflow.unsafe.imports_passed_through():
    from activities.experiments import ExperimentActivities
    from contracts.experiments import (
        VIDEO_EXPERIMENT_WORKFLOW,
        DecideInput,
        ExperimentResult,
        VideoExperimentInput,
        WaveInput,
    )
    from contracts.publishing import PUBLISH_WORKFLOW, PublishInput, PublishResult, publish_workflow_id
    from workflows.options import BOOKKEEPING_RETRY, BOOKKEEPING_TIMEOUT, NON_RETRYABLE

# Reading metrics: rate limits and outages are waited out for a while; the experiment is not lost to them.
MEASURE_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=5),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(minutes=10),
    maximum_attempts=20,
    non_retryable_error_types=NON_RETRYABLE,
)


@workflow.defn(name=VIDEO_EXPERIMENT_WORKFLOW)
class VideoExperimentWorkflow:
    @workflow.run
    async def run(self, input: VideoExperimentInput) -> ExperimentResult:
        window = timedelta(seconds=input.window_seconds)
        for wave in range(input.waves):
            ref = WaveInput(
                account_id=input.account_id, comparison_id=input.comparison_id, content_id=input.content_id, wave=wave
            )
            opened = await workflow.execute_activity_method(
                ExperimentActivities.open_experiment_wave,
                ref,
                start_to_close_timeout=BOOKKEEPING_TIMEOUT,
                retry_policy=BOOKKEEPING_RETRY,
            )
            if opened.error or opened.round is None:
                return await self._decide(input, opened.error or "the wave could not be opened")
            workflow.set_current_details(f"wave {wave + 1} of {input.waves}: publishing")
            try:
                await workflow.execute_child_workflow(
                    PUBLISH_WORKFLOW,
                    PublishInput(
                        account_id=input.account_id,
                        content_id=input.content_id,
                        round=opened.round,
                        publication_ids=opened.publication_ids,
                        heartbeat_seconds=input.heartbeat_seconds,
                    ),
                    id=publish_workflow_id(input.content_id),
                    result_type=PublishResult,
                )
            except (ChildWorkflowError, WorkflowAlreadyStartedError) as exc:
                return await self._decide(input, f"publishing wave {wave + 1} failed: {exc}")
            workflow.set_current_details(f"wave {wave + 1} of {input.waves}: waiting out the window")
            await workflow.sleep(window)
            await workflow.execute_activity_method(
                ExperimentActivities.measure_experiment_wave,
                ref,
                start_to_close_timeout=timedelta(minutes=10),
                retry_policy=MEASURE_RETRY,
            )
        return await self._decide(input, None)

    async def _decide(self, input: VideoExperimentInput, error: str | None) -> ExperimentResult:
        return await workflow.execute_activity_method(
            ExperimentActivities.decide_experiment,
            DecideInput(account_id=input.account_id, comparison_id=input.comparison_id, error=error),
            start_to_close_timeout=BOOKKEEPING_TIMEOUT,
            retry_policy=BOOKKEEPING_RETRY,
        )
