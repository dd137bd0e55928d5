"""One video for one content item (job kind ``video``): check the item, render (the step heartbeats with
its render id, so a dead worker's render is resumed, not restarted), then make it the item's video and
settle the job. Nothing on the item changes until the video is stored, so a failure leaves it as it was."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.video import VideoActivities
    from contracts.jobs import JobOutcome, VideoRendered
    from contracts.video import RENDER_VIDEO_WORKFLOW, RecordVideoInput, RenderVideoInput
    from domain.jobs import JobStatus
    from workflows.job_steps import record
    from workflows.options import BOOKKEEPING_TIMEOUT, PROVIDER_RETRY, PROVIDER_TIMEOUT, failure_of


@workflow.defn(name=RENDER_VIDEO_WORKFLOW)
class RenderVideoWorkflow:
    @workflow.run
    async def run(self, input: RenderVideoInput) -> VideoRendered:
        try:
            target = await workflow.execute_activity_method(
                VideoActivities.begin_video,
                input,
                start_to_close_timeout=BOOKKEEPING_TIMEOUT,
                retry_policy=PROVIDER_RETRY,
            )
            video = await workflow.execute_activity_method(
                VideoActivities.render_video,
                target,
                start_to_close_timeout=PROVIDER_TIMEOUT,
                heartbeat_timeout=timedelta(seconds=input.heartbeat_timeout_seconds),
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
            await record(JobOutcome(job_id=input.job_id, status=JobStatus.FAILED, error=f"{code}: {message}"))
            raise ApplicationError(message, type=code, non_retryable=True) from error
        result = VideoRendered(
            content_id=input.content_id,
            width=video.width,
            height=video.height,
            duration_seconds=video.duration_seconds,
            size_bytes=video.size_bytes,
            codec=video.codec,
        )
        await record(JobOutcome(job_id=input.job_id, status=JobStatus.COMPLETED, result=result))
        return result
