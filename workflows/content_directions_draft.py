"""Draft content directions for a profile from a freeform prompt."""

from __future__ import annotations

from typing import Any

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.jobs import JobActivities
    from contracts.jobs import CONTENT_DIRECTIONS_WORKFLOW, ContentDirectionsInput
    from workflows.job_steps import run_job_step


@workflow.defn(name=CONTENT_DIRECTIONS_WORKFLOW)
class ContentDirectionsDraftWorkflow:
    @workflow.run
    async def run(self, input: ContentDirectionsInput) -> dict[str, Any]:
        return await run_job_step(JobActivities.draft_content_directions, input, input.job_id)
