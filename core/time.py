"""Clock helpers for non-workflow code (workflows use ``workflow.now()``)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta


def utc_now() -> datetime:
    return datetime.now(UTC)


def utc_iso() -> str:
    return utc_now().isoformat()


_DURATION = re.compile(r"(\d+)([smhd])")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str) -> timedelta:
    """``90s``, ``30m``, ``24h``, ``2d`` or a sum such as ``1h30m``; ``0`` is no time at all."""
    compact = text.strip().lower().replace(" ", "")
    if compact == "0":
        return timedelta(0)
    parts = _DURATION.findall(compact)
    if not parts or "".join(number + unit for number, unit in parts) != compact:
        raise ValueError(f"not a duration: {text!r} (expected e.g. 90s, 30m, 24h, 2d or 1h30m)")
    return timedelta(seconds=sum(int(number) * _UNIT_SECONDS[unit] for number, unit in parts))
