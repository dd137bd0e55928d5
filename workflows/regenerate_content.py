"""Regenerate one content item: the current version goes into its history, a new image and caption are
made with a fresh seed from the same scene options, and the item returns to review. A failure puts the
previous version back."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.content import ContentActivities
    from activities.generation import GenerationActivities
    from contracts.jobs import (
        REGENERATE_WORKFLOW,
        JobOutcome,
        RegenerateInput,
        RegenerationAborted,
        RegenerationDone,
    )
    from domain.jobs import JobStatus
    from workflows.job_steps import record
    from workflows.options import BOOKKEEPING_RETRY, BOOKKEEPING_TIMEOUT, PROVIDER_RETRY, PROVIDER_TIMEOUT, failure_of


@workflow.defn(name=REGENERATE_WORKFLOW)
class RegenerateContentWorkflow:
    @workflow.run
    async def run(self, input: RegenerateInput) -> str:
        try:
            begun = await workflow.execute_activity_method(
                ContentActivities.begin_regeneration,
                input,
                start_to_close_timeout=BOOKKEEPING_TIMEOUT,
                retry_policy=PROVIDER_RETRY,
            )
        except ActivityError as error:
            code, message = failure_of(error)
            await record(JobOutcome(job_id=input.job_id, status=JobStatus.FAILED, error=f"{code}: {message}"))
            raise ApplicationError(message, type=code, non_retryable=True) from error
        try:
            media = await workflow.execute_activity_method(
                GenerationActivities.render_item,
                begun.plan,
                start_to_close_timeout=PROVIDER_TIMEOUT,
                heartbeat_timeout=timedelta(seconds=input.heartbeat_timeout_seconds),
                retry_policy=PROVIDER_RETRY,
            )
            caption = await workflow.execute_activity_method(
                GenerationActivities.write_caption,
                begun.plan,
                start_to_close_timeout=PROVIDER_TIMEOUT,
                heartbeat_timeout=timedelta(seconds=input.heartbeat_timeout_seconds),
                retry_policy=PROVIDER_RETRY,
            )
        except ActivityError as error:
            code, message = failure_of(error)
            await workflow.execute_activity_method(
                ContentActivities.abort_regeneration,
                RegenerationAborted(
                    job_id=input.job_id,
                    content_id=input.content_id,
                    previous_status=begun.previous_status,
                    revision=begun.revision,
                    error=f"{code}: {message}",
                ),
                start_to_close_timeout=BOOKKEEPING_TIMEOUT,
                retry_policy=BOOKKEEPING_RETRY,
            )
            raise ApplicationError(message, type=code, non_retryable=True) from error
        await workflow.execute_activity_method(
            ContentActivities.complete_regeneration,
            RegenerationDone(
                job_id=input.job_id, content_id=input.content_id, media=media, plan=begun.plan, caption=caption
            ),
            start_to_close_timeout=BOOKKEEPING_TIMEOUT,
            retry_policy=BOOKKEEPING_RETRY,
        )
        return input.content_id
