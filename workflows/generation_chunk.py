"""One chunk of a generation batch as a child workflow: a bounded number of items at a time, each item
planned, rendered, captioned and saved by its own retryable activities. A failed item is recorded and
the rest go on."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.exceptions import ActivityError
from temporalio.workflow import ActivityCancellationType

with workflow.unsafe.imports_passed_through():
    from activities.batches import BatchActivities
    from activities.generation import GenerationActivities
    from contracts.generation import (
        CHUNK_WORKFLOW,
        BatchInput,
        ChunkInput,
        ChunkResult,
        ItemFailure,
        ItemPlan,
        ItemRef,
        SaveContentInput,
        SaveItemInput,
    )
    from workflows.options import (
        BOOKKEEPING_RETRY,
        BOOKKEEPING_TIMEOUT,
        PROVIDER_RETRY,
        failure_of,
    )


# Planning and saving are short steps against our own database. From this patch on they run as local
# activities: in the worker that runs the chunk, recorded as one marker each, with no task dispatched through
# the server, which was half the orchestration CPU per item on a two-core machine (issue 16). Drawing stays
# an ordinary activity: it is long, heartbeats, and spreads across workers; so does captioning, unless the
# plan says the worker writes captions in process (``ItemPlan.quick_caption``). Chunks started before the
# patch replay the old way.
LOCAL_SHORT_STEPS = "local-plan-and-save"


def _step_options(batch: BatchInput) -> dict[str, Any]:
    # Started activities finish even when the batch is cancelled: an item is then either saved whole or
    # left unsaved (and its media deleted by the batch's finalize step), never half-saved.
    return {
        "start_to_close_timeout": timedelta(seconds=batch.step_timeout_seconds),
        # Steps heartbeat while they work, so a killed worker's steps are retried within seconds.
        "heartbeat_timeout": timedelta(seconds=batch.heartbeat_timeout_seconds),
        "retry_policy": PROVIDER_RETRY,
        "cancellation_type": ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    }


def _short_step_options(batch: BatchInput) -> dict[str, Any]:
    # The steps' options less the heartbeat, which a local activity cannot send: a worker that dies mid-step
    # is noticed when the chunk's workflow task times out, and the step runs again (each is idempotent).
    return {name: value for name, value in _step_options(batch).items() if name != "heartbeat_timeout"}


async def _short_step(local: bool, batch: BatchInput, method: Any, arg: Any) -> Any:
    if local:
        return await workflow.execute_local_activity_method(method, arg, **_short_step_options(batch))
    return await workflow.execute_activity_method(method, arg, **_step_options(batch))


@workflow.defn(name=CHUNK_WORKFLOW)
class GenerationChunkWorkflow:
    @workflow.run
    async def run(self, input: ChunkInput) -> ChunkResult:
        slots = asyncio.Semaphore(input.batch.item_concurrency)
        size = input.end - input.start
        settled = {True: 0, False: 0}
        workflow.set_current_details(f"0/{size} done, 0 failed")

        async def bounded(position: int) -> bool:
            async with slots:
                ok = await self._item(input.batch, position)
            # Per item, so even a one-chunk batch shows its progress in the Temporal UI.
            settled[ok] += 1
            workflow.set_current_details(f"{settled[True]}/{size} done, {settled[False]} failed")
            return ok

        outcomes = await asyncio.gather(*(bounded(p) for p in range(input.start, input.end)))
        completed = sum(1 for ok in outcomes if ok)
        return ChunkResult(completed=completed, failed=len(outcomes) - completed)

    async def _item(self, batch: BatchInput, position: int) -> bool:
        item = ItemRef(
            batch_id=batch.batch_id,
            account_id=batch.account_id,
            kind=batch.kind,
            position=position,
            influencer_id=batch.influencer_id,
            profile_id=batch.profile_id,
            options=batch.options,
            member_ids=batch.member_ids,
            collaboration_id=batch.collaboration_id,
            scene=batch.scene,
        )
        step = _step_options(batch)
        local = workflow.patched(LOCAL_SHORT_STEPS)
        try:
            plan: ItemPlan = await _short_step(local, batch, GenerationActivities.plan_item, item)
            media = await workflow.execute_activity_method(GenerationActivities.render_item, plan, **step)
            # A collaboration item is a content item too: captioned, then saved to the review queue.
            if batch.kind in ("content", "collaboration"):
                # A caption written in process is a short step too; the plan says so, and it is in the history,
                # so a replay takes the same branch (plans from before the field say False).
                caption = await _short_step(plan.quick_caption, batch, GenerationActivities.write_caption, plan)
                saved = SaveContentInput(plan=plan, media=media, caption=caption)
                await _short_step(local, batch, GenerationActivities.save_content_item, saved)
            else:
                save = (
                    GenerationActivities.save_reference_image
                    if batch.kind == "references"
                    else GenerationActivities.save_preview
                )
                await _short_step(local, batch, save, SaveItemInput(plan=plan, media=media))
        except ActivityError as error:
            code, message = failure_of(error)
            await workflow.execute_activity_method(
                BatchActivities.fail_item,
                ItemFailure(batch_id=batch.batch_id, position=position, code=code, message=message),
                start_to_close_timeout=BOOKKEEPING_TIMEOUT,
                retry_policy=BOOKKEEPING_RETRY,
            )
            return False
        return True
