"""The campaign Schedule's catch-up window on a real dev server persisting to a file: the server is stopped
before a slot falls due and started again on the same file after it has passed. The Schedule built as a
campaign builds it (``build_campaign_schedule``) runs the missed slot once, late; the same Schedule with a
window shorter than the outage runs nothing and counts the slot missed."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from temporalio.client import Client, ScheduleActionExecutionStartWorkflow, ScheduleDescription, ScheduleHandle

from contracts.campaign_schedule import CampaignScheduleSpec, build_campaign_schedule
from contracts.campaigns import CAMPAIGN_RUN_WORKFLOW, campaign_schedule_id
from core.settings import Settings
from core.temporal import connect
from domain.campaign_slots import WeeklySlot
from tests.utils.campaign_specs import probe_spec
from tests.utils.servers import free_port
from tests.utils.temporal_servers import dev_server, stop_server, wait_healthy

PARIS = ZoneInfo("Europe/Paris")
LEAD = timedelta(hours=2)
# The server goes down at least this long before the Schedule is due (it fires on the minute)...
MARGIN = timedelta(seconds=40)
# ...and comes back this long after: longer than the short window below, well inside the campaign's.
OUTAGE_AFTER_DUE = timedelta(seconds=30)
CAMPAIGN_WINDOW = timedelta(minutes=90)  # the setting's default
SHORT_WINDOW = timedelta(seconds=10)  # Temporal's smallest catch-up window


def _next_minute(after: datetime) -> datetime:
    return (after + timedelta(minutes=1)).replace(second=0, microsecond=0)


def _spec(due: datetime) -> CampaignScheduleSpec:
    """A Europe/Paris campaign whose one weekly slot is ``LEAD`` after ``due``, so its Schedule fires at ``due``."""
    slot = (due + LEAD).astimezone(PARIS)
    return probe_spec([WeeklySlot(slot.weekday(), slot.hour * 60 + slot.minute)], lead=LEAD)


async def _create(client: Client, due: datetime, catchup: timedelta) -> str:
    spec = _spec(due)
    schedule_id = campaign_schedule_id(spec.campaign_id)
    # Nobody polls this queue: the proof is that the action started the run, not what the run did.
    schedule = build_campaign_schedule(spec, task_queue=f"nobody-{uuid.uuid4().hex[:6]}", catchup=catchup)
    handle = await client.create_schedule(schedule_id, schedule)
    assert (await handle.describe()).info.next_action_times[0] == due
    return schedule_id


async def _settled(handle: ScheduleHandle, seconds: float = 90.0) -> ScheduleDescription:
    """The description once the Schedule has dealt with the missed time: started it or counted it missed."""
    for _ in range(int(seconds * 4)):
        described = await handle.describe()
        if described.info.num_actions or described.info.num_actions_missed_catchup_window:
            return described
        await asyncio.sleep(0.25)
    raise AssertionError(f"schedule {handle.id} never caught up after the restart")


async def test_a_slot_missed_while_temporal_was_down_runs_once_after_the_restart(tmp_path: Path) -> None:
    port = free_port()
    settings = Settings(temporal_address=f"127.0.0.1:{port}")
    db_file = tmp_path / "temporal.db"
    with dev_server(db_file, port, tmp_path / "temporal-1.log") as first:
        await wait_healthy(settings)
        client = await connect(settings)
        due = _next_minute(datetime.now(UTC) + MARGIN)
        kept = await _create(client, due, CAMPAIGN_WINDOW)
        dropped = await _create(client, due, SHORT_WINDOW)
        await asyncio.to_thread(stop_server, first)
    assert datetime.now(UTC) < due, "the server was still up when the slot fell due; this proved nothing"

    await asyncio.sleep((due + OUTAGE_AFTER_DUE - datetime.now(UTC)).total_seconds())
    restarted = datetime.now(UTC)
    with dev_server(db_file, port, tmp_path / "temporal-2.log"):
        await wait_healthy(settings)
        client = await connect(settings)
        caught_up = await _settled(client.get_schedule_handle(kept))
        missed = await _settled(client.get_schedule_handle(dropped))
        caught_up = await client.get_schedule_handle(kept).describe()  # again, later: still one start
        actions = caught_up.info.recent_actions
        assert caught_up.info.num_actions == 1 and len(actions) == 1, actions
        run = actions[0].action
        assert isinstance(run, ScheduleActionExecutionStartWorkflow)
        started = await client.get_workflow_handle(run.workflow_id, run_id=run.first_execution_run_id).describe()

    # The missed slot ran once, for its own time, after the server came back.
    assert actions[0].scheduled_at == due
    assert actions[0].started_at >= restarted
    assert started.workflow_type == CAMPAIGN_RUN_WORKFLOW
    assert run.workflow_id.startswith(kept)
    assert caught_up.info.num_actions_missed_catchup_window == 0
    # With a window shorter than the outage the slot is dropped, and counted.
    assert missed.info.num_actions == 0 and missed.info.recent_actions == []
    assert missed.info.num_actions_missed_catchup_window == 1
