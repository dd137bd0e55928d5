"""Regenerate the caption only; the image stays as it is."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.content import ContentActivities
    from contracts.jobs import FINE_TUNE_CAPTION_WORKFLOW, CaptionTuned, FineTuneCaptionInput
    from workflows.job_steps import run_job_step


@workflow.defn(name=FINE_TUNE_CAPTION_WORKFLOW)
class FineTuneCaptionWorkflow:
    @workflow.run
    async def run(self, input: FineTuneCaptionInput) -> CaptionTuned:
        return await run_job_step(ContentActivities.fine_tune_caption, input, input.job_id)
