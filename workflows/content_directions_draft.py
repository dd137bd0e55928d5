"""Draft content directions for a profile from a freeform prompt."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.profiles import ProfileActivities
    from contracts.jobs import CONTENT_DIRECTIONS_WORKFLOW, ContentDirectionsInput, DirectionsDrafted
    from workflows.job_steps import run_job_step


@workflow.defn(name=CONTENT_DIRECTIONS_WORKFLOW)
class ContentDirectionsDraftWorkflow:
    @workflow.run
    async def run(self, input: ContentDirectionsInput) -> DirectionsDrafted:
        return await run_job_step(ProfileActivities.draft_content_directions, input, input.job_id)
