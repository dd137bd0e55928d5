"""When a campaign posts: weekly slots (a day of the week and a local time) read from explicit slots, from a
weekly cron expression or from the influencer's lifestyle routines, and the instants they fall on in a
timezone. Slots are wall-clock times, so 08:00 Europe/Paris stays 08:00 local across daylight-saving changes.

The Temporal Schedule fires ``leadTime`` before each slot (``fire_slots``); a run finds its slot back from
the time it fired (``slot_for_fire``) with the same wall-clock arithmetic, so both agree on every day."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MINUTES_PER_WEEK = 7 * 24 * 60
# More than this many posting times a week is not a campaign but a firehose; refused as input.
MAX_SLOTS_PER_WEEK = 70
# When a routine has no clock time, its time of day starts here (a "morning run" is an early-morning post).
TIME_OF_DAY_MINUTES: dict[str, int] = {"morning": 7 * 60, "afternoon": 13 * 60, "evening": 19 * 60, "night": 22 * 60}
# A Schedule fires on the minute; a run that started a little late still belongs to the slot it was fired for.
FIRE_TOLERANCE = timedelta(minutes=1)


@dataclass(frozen=True, order=True)
class WeeklySlot:
    weekday: int  # 0 = Monday, as datetime.weekday()
    minute: int  # minutes after local midnight

    @property
    def local_time(self) -> time:
        return time(self.minute // 60, self.minute % 60)

    def label(self) -> str:
        return f"{WEEKDAYS[self.weekday]} {self.local_time:%H:%M}"


def load_timezone(name: str) -> ZoneInfo:
    """The IANA zone, or ValueError naming it (also for names that are paths or empty)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown timezone {name!r}; use an IANA name such as Europe/Paris") from exc


def parse_local_time(text: str) -> int:
    """``"08:00"`` to minutes after midnight; ValueError otherwise."""
    try:
        parsed = time.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a local time HH:MM") from exc
    if parsed.second or parsed.microsecond or parsed.tzinfo:
        raise ValueError(f"{text!r}: give hours and minutes only, without a zone (the timezone field says it)")
    return parsed.hour * 60 + parsed.minute


def slots_from_days_and_times(days: Iterable[str], times: Iterable[str]) -> list[WeeklySlot]:
    minutes = [parse_local_time(t) for t in times]
    return normalise(WeeklySlot(WEEKDAYS.index(day), minute) for day in days for minute in minutes)


def slots_from_routines(routines: Sequence[dict[str, object]]) -> list[WeeklySlot]:
    """A routine (``{"timeOfDay": "morning", "days": ["mon"]}``, no days meaning every day) posts at the start
    of its time of day."""
    slots: list[WeeklySlot] = []
    for routine in routines:
        minute = TIME_OF_DAY_MINUTES.get(str(routine.get("time_of_day") or routine.get("timeOfDay") or ""))
        if minute is None:
            continue
        raw_days = routine.get("days")
        days = [str(d) for d in raw_days] if isinstance(raw_days, list) and raw_days else list(WEEKDAYS)
        slots.extend(WeeklySlot(WEEKDAYS.index(d), minute) for d in days if d in WEEKDAYS)
    return normalise(slots)


def normalise(slots: Iterable[WeeklySlot]) -> list[WeeklySlot]:
    found = sorted(set(slots))
    if len(found) > MAX_SLOTS_PER_WEEK:
        raise ValueError(f"{len(found)} posting times a week; at most {MAX_SLOTS_PER_WEEK}")
    return found


def fire_slots(slots: Sequence[WeeklySlot], lead: timedelta) -> list[WeeklySlot]:
    """The wall-clock times ``lead`` before each slot, wrapping across days and the week."""
    shift = int(lead.total_seconds() // 60)
    return sorted({WeeklySlot(*divmod((s.weekday * 1440 + s.minute - shift) % MINUTES_PER_WEEK, 1440)) for s in slots})


def smallest_gap(slots: Sequence[WeeklySlot]) -> timedelta:
    """The shortest wall-clock distance between consecutive slots, around the week."""
    marks = sorted(s.weekday * 1440 + s.minute for s in slots)
    if len(marks) < 2:
        return timedelta(minutes=MINUTES_PER_WEEK)
    gaps = [b - a for a, b in itertools.pairwise(marks)] + [marks[0] + MINUTES_PER_WEEK - marks[-1]]
    return timedelta(minutes=min(gaps))


def _walls(slots: Sequence[WeeklySlot], first_day: date, days: int) -> Iterable[datetime]:
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        for slot in slots:
            if slot.weekday == day.weekday():
                yield datetime.combine(day, slot.local_time)


def upcoming(
    slots: Sequence[WeeklySlot],
    zone: ZoneInfo,
    after: datetime,
    count: int,
    *,
    start_at: datetime | None = None,
    end_at: datetime | None = None,
) -> list[datetime]:
    """The next ``count`` slot instants (UTC) at or after ``after``, within ``[start_at, end_at]``."""
    floor = max(after, start_at) if start_at else after
    found: list[datetime] = []
    if not slots:
        return found
    first_day = floor.astimezone(zone).date() - timedelta(days=1)
    # Sorted slots and days in order give instants in order; a year is far more than any count asks for.
    for wall in _walls(slots, first_day, 370):
        instant = wall.replace(tzinfo=zone).astimezone(UTC)
        if instant < floor:
            continue
        if end_at is not None and instant > end_at:
            break
        found.append(instant)
        if len(found) >= count:
            break
    return found


def between(
    slots: Sequence[WeeklySlot], zone: ZoneInfo, start: datetime, end: datetime, *, limit: int = 500
) -> list[datetime]:
    return [t for t in upcoming(slots, zone, start, limit, end_at=end)]


def slot_for_fire(slots: Sequence[WeeklySlot], zone: ZoneInfo, fired_at: datetime, lead: timedelta) -> datetime:
    """The slot a run fired at ``fired_at`` prepares: the first slot at or after the fire time plus ``lead``
    on the wall clock (how ``fire_slots`` placed it), in UTC."""
    target = fired_at.astimezone(zone).replace(tzinfo=None) + lead - FIRE_TOLERANCE
    for wall in _walls(slots, target.date(), 9):
        if wall >= target:
            return wall.replace(tzinfo=zone).astimezone(UTC)
    raise ValueError("a campaign without slots has no slot to fire for")
