"""The Temporal Schedules of periodic work (ARCHITECTURE: anything periodic is a Schedule): the
stranded-work reconciler, the idempotency purge and the sweep of undispatched webhook events. Created or
updated idempotently at worker start, one set per task queue, visible under Schedules in the Temporal UI."""

from __future__ import annotations

import logging
from datetime import timedelta

from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleAlreadyRunningError,
    ScheduleIntervalSpec,
    ScheduleOverlapPolicy,
    SchedulePolicy,
    ScheduleSpec,
    ScheduleUpdate,
    ScheduleUpdateInput,
)

from contracts.maintenance import (
    PURGE_EVERY_MINUTES,
    PURGE_IDEMPOTENCY_WORKFLOW,
    RECONCILE_EVERY_MINUTES,
    RECONCILE_WORKFLOW,
    PurgeInput,
    ReconcileInput,
    purge_idempotency_schedule_id,
    reconcile_schedule_id,
)
from contracts.webhooks import SWEEP_EVERY_MINUTES, WEBHOOK_SWEEP_WORKFLOW, SweepInput, sweep_schedule_id

logger = logging.getLogger("autopersonas.schedules")


def _schedules(task_queue: str) -> dict[str, Schedule]:
    def every(minutes: int, workflow: str, arg: object, workflow_id: str) -> Schedule:
        return Schedule(
            action=ScheduleActionStartWorkflow(workflow, arg, id=workflow_id, task_queue=task_queue),
            spec=ScheduleSpec(intervals=[ScheduleIntervalSpec(every=timedelta(minutes=minutes))]),
            # One run at a time: a slow run is not stacked with the next.
            policy=SchedulePolicy(overlap=ScheduleOverlapPolicy.SKIP),
        )

    reconcile_id = reconcile_schedule_id(task_queue)
    purge_id = purge_idempotency_schedule_id(task_queue)
    sweep_id = sweep_schedule_id(task_queue)
    return {
        reconcile_id: every(
            RECONCILE_EVERY_MINUTES, RECONCILE_WORKFLOW, ReconcileInput(task_queue=task_queue), reconcile_id
        ),
        purge_id: every(PURGE_EVERY_MINUTES, PURGE_IDEMPOTENCY_WORKFLOW, PurgeInput(), purge_id),
        sweep_id: every(SWEEP_EVERY_MINUTES, WEBHOOK_SWEEP_WORKFLOW, SweepInput(task_queue=task_queue), sweep_id),
    }


async def ensure_schedules(client: Client, task_queue: str) -> list[str]:
    """Create each schedule, or bring an existing one up to date; returns their ids."""
    for schedule_id, schedule in _schedules(task_queue).items():
        try:
            await client.create_schedule(schedule_id, schedule)
            logger.info("schedule.created id=%s", schedule_id)
        except ScheduleAlreadyRunningError:

            async def replace(_: ScheduleUpdateInput, wanted: Schedule = schedule) -> ScheduleUpdate:
                return ScheduleUpdate(schedule=wanted)

            await client.get_schedule_handle(schedule_id).update(replace)
            logger.info("schedule.updated id=%s", schedule_id)
    return list(_schedules(task_queue))
