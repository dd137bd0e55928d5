"""Campaign slots: weekly slots from explicit times, weekly cron and routines; local times kept across both
daylight-saving changes; the fire time leadTime before a slot leads back to that slot; campaign transitions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.errors import Conflict
from domain.campaign_slots import (
    WeeklySlot,
    fire_slots,
    load_timezone,
    slot_for_fire,
    slots_from_days_and_times,
    slots_from_routines,
    smallest_gap,
    upcoming,
)
from domain.campaigns import CampaignStatus, check_campaign_transition
from domain.cron import slots_from_cron

PARIS = load_timezone("Europe/Paris")
WEEKDAYS_8 = slots_from_days_and_times(["mon", "tue", "wed", "thu", "fri"], ["08:00"])


def test_weekday_cron_is_the_same_as_weekday_slots() -> None:
    assert slots_from_cron("0 8 * * 1-5") == WEEKDAYS_8
    assert slots_from_cron("0 8 * * mon-fri") == WEEKDAYS_8
    assert slots_from_cron("30 18 * * 0,7") == [WeeklySlot(6, 18 * 60 + 30)]
    assert len(slots_from_cron("*/30 9-10 * * sat")) == 4


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("61 8 * * *", "outside 0-59"),
        ("0 8 1 * *", "day-of-month and month must be *"),
        ("0 8 * *", "five fields"),
        ("0 8 * * funday", "not a number"),
        ("* * * * *", "at most 70"),
    ],
)
def test_invalid_cron_is_refused_with_its_reason(expression: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        slots_from_cron(expression)


def test_unknown_timezone_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown timezone"):
        load_timezone("Mars/Olympus_Mons")


def test_eight_local_stays_eight_local_across_both_changes() -> None:
    spring = upcoming(WEEKDAYS_8, PARIS, datetime(2027, 3, 25, tzinfo=UTC), 4)
    assert [t.isoformat() for t in spring] == [
        "2027-03-25T07:00:00+00:00",
        "2027-03-26T07:00:00+00:00",
        "2027-03-29T06:00:00+00:00",  # after the clocks went forward on Sunday 28 March
        "2027-03-30T06:00:00+00:00",
    ]
    autumn = upcoming(WEEKDAYS_8, PARIS, datetime(2027, 10, 28, tzinfo=UTC), 3)
    assert [t.isoformat() for t in autumn] == [
        "2027-10-28T06:00:00+00:00",
        "2027-10-29T06:00:00+00:00",
        "2027-11-01T07:00:00+00:00",  # after the clocks went back on Sunday 31 October
    ]
    assert {t.astimezone(PARIS).hour for t in spring + autumn} == {8}


def test_window_bounds_the_slots() -> None:
    start = datetime(2027, 1, 6, 12, tzinfo=UTC)
    found = upcoming(WEEKDAYS_8, PARIS, datetime(2027, 1, 1, tzinfo=UTC), 10, start_at=start,
                     end_at=datetime(2027, 1, 8, 12, tzinfo=UTC))
    assert [t.day for t in found] == [7, 8]


def test_fire_time_leads_back_to_its_slot_even_across_midnight_and_the_week() -> None:
    lead = timedelta(hours=2)
    monday_one = slots_from_days_and_times(["mon"], ["01:00"])
    assert fire_slots(monday_one, lead) == [WeeklySlot(6, 23 * 60)]  # Sunday 23:00
    fired = datetime(2027, 3, 28, 21, 0, tzinfo=UTC)  # Sunday 23:00 CEST
    assert slot_for_fire(monday_one, PARIS, fired, lead) == datetime(2027, 3, 28, 23, 0, tzinfo=UTC)
    # A Schedule that fires a few seconds late still prepares the slot it fired for.
    late = datetime(2027, 3, 29, 4, 0, 20, tzinfo=UTC)  # Monday 06:00:20 CEST
    assert slot_for_fire(WEEKDAYS_8, PARIS, late, lead) == datetime(2027, 3, 29, 6, 0, tzinfo=UTC)


def test_routines_post_at_the_start_of_their_time_of_day() -> None:
    slots = slots_from_routines(
        [
            {"name": "morning run", "time_of_day": "morning", "days": ["sat", "sun"]},
            {"name": "cafe", "time_of_day": "afternoon", "days": []},
        ]
    )
    assert WeeklySlot(5, 7 * 60) in slots and WeeklySlot(6, 7 * 60) in slots
    assert sum(1 for s in slots if s.minute == 13 * 60) == 7


def test_smallest_gap_wraps_around_the_week() -> None:
    assert smallest_gap(slots_from_days_and_times(["mon"], ["08:00", "09:30"])) == timedelta(minutes=90)
    assert smallest_gap(slots_from_days_and_times(["sun", "mon"], ["23:00"])) == timedelta(days=1)


def test_ended_campaign_cannot_resume() -> None:
    check_campaign_transition(CampaignStatus.ACTIVE, CampaignStatus.PAUSED)
    with pytest.raises(Conflict):
        check_campaign_transition(CampaignStatus.ENDED, CampaignStatus.ACTIVE)
