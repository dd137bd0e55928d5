"""Usage and charges per UTC day and billable action."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from core.wire import Schema


class UsageRow(Schema):
    day: date
    action: str
    count: int
    units: int
    amount: Decimal


class UsageSummary(Schema):
    currency: str
    total: Decimal
    by_action: dict[str, Decimal]
    days: list[UsageRow]
