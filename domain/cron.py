"""Weekly cron expressions (``minute hour * * day-of-week``) read into campaign slots, validated before a
Schedule is made from them. Lists, ranges, steps and day names work as in cron; 0 and 7 are Sunday. Day of
month and month must be ``*``: a campaign's rhythm is weekly, which is what Temporal's calendar spec and our
slot arithmetic (lead time, next slots) share."""

from __future__ import annotations

from domain.campaign_slots import WeeklySlot, normalise

_DAY_NAMES = {"sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6}


def _number(text: str, names: dict[str, int]) -> int:
    lowered = text.lower()
    if lowered in names:
        return names[lowered]
    if not text.isdigit():
        raise ValueError(f"{text!r} is not a number")
    return int(text)


def _field(text: str, low: int, high: int, names: dict[str, int] | None = None) -> set[int]:
    """One cron field to the set of values it matches; ValueError naming what is wrong."""
    values: set[int] = set()
    for part in text.split(","):
        body, _, step_text = part.partition("/")
        step = _number(step_text, {}) if step_text else 1
        if step < 1:
            raise ValueError(f"step {step_text!r} must be at least 1")
        if body == "*":
            start, end = low, high
        elif "-" in body:
            first, _, last = body.partition("-")
            start, end = _number(first, names or {}), _number(last, names or {})
        else:
            start = _number(body, names or {})
            end = high if step_text else start
        if not (low <= start <= high and low <= end <= high) or start > end:
            raise ValueError(f"{part!r} is outside {low}-{high}")
        values.update(range(start, end + 1, step))
    return values


def slots_from_cron(expression: str) -> list[WeeklySlot]:
    fields = expression.split()
    if len(fields) != 5:
        raise ValueError("a cron expression has five fields: minute hour day-of-month month day-of-week")
    minute, hour, day_of_month, month, day_of_week = fields
    if day_of_month != "*" or month != "*":
        raise ValueError("campaigns repeat weekly: day-of-month and month must be *")
    minutes = _field(minute, 0, 59)
    hours = _field(hour, 0, 23)
    # Cron counts Sunday as 0 (or 7); WeeklySlot counts Monday as 0.
    days = {(d - 1) % 7 for d in _field(day_of_week, 0, 7, _DAY_NAMES)}
    return normalise(WeeklySlot(d, h * 60 + m) for d in days for h in hours for m in minutes)
