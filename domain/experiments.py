"""A/B experiments of video variants: the window's wire form, the experiment's statuses and their transition
table, how variants are spread over accounts (staggered where they share one), and how the winner is chosen
(the highest engagement rate; ties go to the earlier label, so the decision is reproducible)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from domain import transitions

# Exactly 1m..30d in each unit (43200m, 720h, 30d), so the published pattern is the whole rule.
WINDOW_PATTERN = (
    r"^(?:(?:[1-9][0-9]{0,3}|[1-3][0-9]{4}|4[0-2][0-9]{3}|43[01][0-9]{2}|43200)m"
    r"|(?:[1-9][0-9]?|[1-6][0-9]{2}|7[01][0-9]|720)h"
    r"|(?:[1-9]|[12][0-9]|30)d)$"
)
MIN_WINDOW = timedelta(minutes=1)
MAX_WINDOW = timedelta(days=30)
_UNITS = {"m": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1)}


def parse_window(text: str) -> timedelta:
    """``"48h"`` to 48 hours; ValueError for anything not ``<n>m|h|d`` between 1 minute and 30 days."""
    if not re.fullmatch(WINDOW_PATTERN, text):
        raise ValueError("use a number and m, h or d, e.g. 48h")
    window = int(text[:-1]) * _UNITS[text[-1]]
    if not MIN_WINDOW <= window <= MAX_WINDOW:
        raise ValueError("must be between 1m and 30d")
    return window


class ExperimentStatus(StrEnum):
    RUNNING = "running"
    DECIDED = "decided"
    FAILED = "failed"


_E = ExperimentStatus
EXPERIMENT_TRANSITIONS: dict[ExperimentStatus, frozenset[ExperimentStatus]] = {
    _E.RUNNING: frozenset({_E.DECIDED, _E.FAILED}),
    _E.DECIDED: frozenset(),
    _E.FAILED: frozenset(),
}


def check_experiment_transition(current: str, new: ExperimentStatus) -> None:
    transitions.check_transition(EXPERIMENT_TRANSITIONS, "experiment", current, new)


@dataclass(frozen=True)
class Assignment:
    variant_id: str
    social_account_id: str
    wave: int


def assign(variant_ids: Sequence[str], account_ids: Sequence[str]) -> list[Assignment]:
    """Variants in order over the accounts; once every account has one, the next wave starts (published
    after the previous wave's window, so variants on one account are staggered, never side by side)."""
    return [
        Assignment(variant_id, account_ids[index % len(account_ids)], index // len(account_ids))
        for index, variant_id in enumerate(variant_ids)
    ]


def winner(rates: Sequence[tuple[str, float | None]]) -> str | None:
    """The first variant (by label order) with the highest engagement rate; None when none was measured."""
    measured = [(label, rate) for label, rate in rates if rate is not None]
    if not measured:
        return None
    best = max(rate for _, rate in measured)
    return next(label for label, rate in measured if rate == best)
