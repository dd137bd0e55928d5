"""Analyse uploaded photos into a base prompt and wardrobe suggestions."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from activities.characters import CharacterActivities
    from contracts.jobs import ANALYZE_PHOTOS_WORKFLOW, AnalyzePhotosInput, PhotosAnalysed
    from workflows.job_steps import run_job_step


@workflow.defn(name=ANALYZE_PHOTOS_WORKFLOW)
class AnalyzePhotosWorkflow:
    @workflow.run
    async def run(self, input: AnalyzePhotosInput) -> PhotosAnalysed:
        return await run_job_step(CharacterActivities.analyze_photos, input, input.job_id)
