"""Generate wardrobe items from the character's base prompt and add them to its ingredient library."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.characters import CharacterActivities
    from contracts.jobs import WARDROBE_WORKFLOW, WardrobeGenerated, WardrobeInput
    from workflows.job_steps import run_job_step


@workflow.defn(name=WARDROBE_WORKFLOW)
class WardrobeGenerationWorkflow:
    @workflow.run
    async def run(self, input: WardrobeInput) -> WardrobeGenerated:
        return await run_job_step(CharacterActivities.generate_wardrobe, input, input.job_id)
