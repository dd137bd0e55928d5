"""The campaign's Temporal Schedule as Temporal itself computes it (dev server): a Mon-Fri 08:00
Europe/Paris campaign with a 2-hour lead fires at 06:00 Paris time on each weekday, before and after both
daylight-saving changes, which is an hour apart in UTC."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from temporalio.testing import WorkflowEnvironment

from contracts.campaign_schedule import build_campaign_schedule
from domain.campaign_slots import slots_from_days_and_times
from tests.utils.campaign_specs import probe_spec

PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    ("start", "hours"),
    [
        # Clocks go forward on Sunday 28 March 2027: 06:00 Paris is 05:00 UTC, then 04:00 UTC.
        (datetime(2027, 3, 22, tzinfo=UTC), [5] * 5 + [4] * 5),
        # Clocks go back on Sunday 31 October 2027: 06:00 Paris is 04:00 UTC, then 05:00 UTC.
        (datetime(2027, 10, 25, tzinfo=UTC), [4] * 5 + [5] * 5),
    ],
    ids=["spring_forward", "fall_back"],
)
async def test_temporal_fires_at_six_paris_time_across_the_change(
    temporal_env: WorkflowEnvironment, start: datetime, hours: list[int]
) -> None:
    spec = probe_spec(
        slots_from_days_and_times(["mon", "tue", "wed", "thu", "fri"], ["08:00"]),
        lead=timedelta(hours=2),
        start_at=start,
        end_at=start + timedelta(days=14),
    )
    schedule_id = f"campaign-{spec.campaign_id}"
    handle = await temporal_env.client.create_schedule(
        schedule_id,
        build_campaign_schedule(spec, task_queue=f"nobody-{uuid.uuid4().hex[:6]}", catchup=timedelta(minutes=90)),
    )
    try:
        described = await handle.describe()
        fires = described.info.next_action_times[:10]
        assert len(fires) == 10
        assert [t.astimezone(PARIS).strftime("%a %H:%M") for t in fires] == [
            f"{day} 06:00" for day in ("Mon", "Tue", "Wed", "Thu", "Fri") * 2
        ]
        assert [t.astimezone(UTC).hour for t in fires] == hours
    finally:
        await handle.delete()
