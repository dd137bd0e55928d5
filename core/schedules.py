"""Create a Temporal Schedule, or bring an existing one up to date, keeping its paused state: what an
operator paused in the Temporal UI stays paused when the worker restarts or the API re-ensures it."""

from __future__ import annotations

from temporalio.client import Client, Schedule, ScheduleAlreadyRunningError, ScheduleUpdate, ScheduleUpdateInput


async def ensure_schedule(client: Client, schedule_id: str, wanted: Schedule) -> bool:
    """True when the Schedule was created, False when an existing one was updated."""
    try:
        await client.create_schedule(schedule_id, wanted)
        return True
    except ScheduleAlreadyRunningError:

        async def replace(current: ScheduleUpdateInput) -> ScheduleUpdate:
            wanted.state = current.description.schedule.state
            return ScheduleUpdate(schedule=wanted)

        await client.get_schedule_handle(schedule_id).update(replace)
        return False
