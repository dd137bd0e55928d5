"""Usage from the ledger: charges per UTC day and billable action between two inclusive days."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from api.usage.schemas import UsageRow, UsageSummary
from domain.pricing import CURRENCY
from store.repositories.usage import UsageRepository

# Amounts are stored with four decimals; quantizing gives the same figures on every database backend.
_PRECISION = Decimal("0.0001")


async def usage_summary(session: AsyncSession, account_id: str, start: date | None, end: date | None) -> UsageSummary:
    rows = await UsageRepository(session).summary(account_id, _day_start(start), _day_after(end))
    return _summary(rows)


def _day_start(day: date | None) -> datetime | None:
    return None if day is None else datetime.combine(day, time.min, tzinfo=UTC)


def _day_after(day: date | None) -> datetime | None:
    """The exclusive upper bound of an inclusive last day; the last representable day has none."""
    if day is None or day == date.max:
        return None
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=UTC)


def _summary(rows: Sequence[tuple[date, str, int, int, Decimal]]) -> UsageSummary:
    days = [
        UsageRow(day=day, action=action, count=count, units=units, amount=amount.quantize(_PRECISION))
        for day, action, count, units, amount in rows
    ]
    by_action: dict[str, Decimal] = {}
    for row in days:
        by_action[row.action] = by_action.get(row.action, Decimal(0)) + row.amount
    total = sum(by_action.values(), Decimal(0)).quantize(_PRECISION)
    return UsageSummary(
        currency=CURRENCY,
        total=total,
        by_action={action: amount.quantize(_PRECISION) for action, amount in sorted(by_action.items())},
        days=days,
    )
