"""A/B video variants of one content item, rendered in parallel. Each variant is its own render step and
record step, retried on its own; a variant that fails for good is recorded failed and the others go on.
The comparison ends ``completed``, ``partially_failed`` or ``failed`` from its variants."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from temporalio import workflow
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from activities.video import VideoActivities
    from contracts.video import (
        VIDEO_COMPARISON_WORKFLOW,
        ComparisonDone,
        RecordVideoInput,
        VariantFailure,
        VideoComparisonInput,
        VideoTarget,
    )
    from workflows.options import BOOKKEEPING_RETRY, BOOKKEEPING_TIMEOUT, PROVIDER_RETRY, PROVIDER_TIMEOUT, failure_of


@workflow.defn(name=VIDEO_COMPARISON_WORKFLOW)
class VideoComparisonWorkflow:
    @workflow.run
    async def run(self, input: VideoComparisonInput) -> ComparisonDone:
        plan = await workflow.execute_activity_method(
            VideoActivities.begin_comparison,
            input,
            start_to_close_timeout=BOOKKEEPING_TIMEOUT,
            retry_policy=BOOKKEEPING_RETRY,
        )
        heartbeat = timedelta(seconds=input.heartbeat_timeout_seconds)
        # At most four variants: all in flight at once, each settling its own row.
        await asyncio.gather(*(self._variant(target, heartbeat) for target in plan.targets))
        return await workflow.execute_activity_method(
            VideoActivities.finish_comparison,
            input.comparison_id,
            start_to_close_timeout=BOOKKEEPING_TIMEOUT,
            retry_policy=BOOKKEEPING_RETRY,
        )

    async def _variant(self, target: VideoTarget, heartbeat: timedelta) -> bool:
        try:
            video = await workflow.execute_activity_method(
                VideoActivities.render_video,
                target,
                start_to_close_timeout=PROVIDER_TIMEOUT,
                heartbeat_timeout=heartbeat,
                retry_policy=PROVIDER_RETRY,
            )
            await workflow.execute_activity_method(
                VideoActivities.record_video,
                RecordVideoInput(target=target, video=video),
                start_to_close_timeout=BOOKKEEPING_TIMEOUT,
                retry_policy=PROVIDER_RETRY,
            )
        except ActivityError as error:
            code, message = failure_of(error)
            await workflow.execute_activity_method(
                VideoActivities.fail_variant,
                VariantFailure(
                    comparison_id=target.comparison_id or "", variant_id=target.variant_id or "", code=code,
                    error=message,
                ),
                start_to_close_timeout=BOOKKEEPING_TIMEOUT,
                retry_policy=BOOKKEEPING_RETRY,
            )
            return False
        return True
