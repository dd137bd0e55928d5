"""One shape for every transition table: a status maps to the statuses it may move to, terminal ones to none.

Staying in the same status is always allowed, because activities are retried: a retry that sets the
status it already set must not fail."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import TypeVar

from core.errors import Conflict

S = TypeVar("S", bound=StrEnum)


def can_transition(table: Mapping[S, frozenset[S]], current: str, new: S) -> bool:
    if current == new:
        return True
    allowed = next((targets for status, targets in table.items() if status == current), None)
    return allowed is not None and new in allowed


def check_transition(table: Mapping[S, frozenset[S]], resource: str, current: str, new: S) -> None:
    """Raise 409 ``invalid_transition`` naming both statuses when ``current`` may not become ``new``."""
    if can_transition(table, current, new):
        return
    allowed = sorted(s.value for status, targets in table.items() if status == current for s in targets)
    raise Conflict(
        f"{resource} cannot go from {current} to {new.value}; allowed: {', '.join(allowed) or 'none (settled)'}",
        code="invalid_transition",
        details={"resource": resource, "status": current, "to": new.value, "allowedTo": allowed},
    )


def terminal(table: Mapping[S, frozenset[S]]) -> frozenset[S]:
    """The statuses nothing leaves."""
    return frozenset(status for status, targets in table.items() if not targets)
