"""Write voice-grounded captions for a profile's image: one job step, its outcome on the job row."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.voice_captions import VoiceCaptionActivities
    from contracts.jobs import VOICE_CAPTION_WORKFLOW, CaptionsGenerated, VoiceCaptionInput
    from workflows.job_steps import run_job_step


@workflow.defn(name=VOICE_CAPTION_WORKFLOW)
class VoiceCaptionWorkflow:
    @workflow.run
    async def run(self, input: VoiceCaptionInput) -> CaptionsGenerated:
        return await run_job_step(VoiceCaptionActivities.write_voice_captions, input, input.job_id)
