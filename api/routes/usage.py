"""``/usage``: what the account was charged, per UTC day and billable action, from the usage ledger."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Query

from api.auth import AnalyticsRead
from api.deps import SessionDep
from api.schemas.content import UsageRow, UsageSummary
from core.errors import ValidationFailed
from domain.pricing import CURRENCY
from store.repositories.usage import UsageRepository

router = APIRouter(prefix="/usage", tags=["usage"])

# Amounts are stored with four decimals; quantizing gives the same figures on every database backend.
_PRECISION = Decimal("0.0001")


@router.get(
    "",
    response_model=UsageSummary,
    summary="Usage and charges",
    description=(
        "Charges from the published rate table, grouped by UTC day and action. `from` and `to` are "
        "`YYYY-MM-DD` UTC days, both inclusive; either may be left out."
    ),
)
async def get_usage(
    principal: AnalyticsRead,
    session: SessionDep,
    start: Annotated[date | None, Query(alias="from", description="First UTC day, YYYY-MM-DD")] = None,
    end: Annotated[date | None, Query(alias="to", description="Last UTC day (inclusive), YYYY-MM-DD")] = None,
) -> UsageSummary:
    if start is not None and end is not None and start > end:
        raise ValidationFailed(
            f"from ({start}) is after to ({end})", details=[{"field": "from", "message": "must not be after to"}]
        )
    rows = await UsageRepository(session).summary(principal.account_id, _day_start(start), _day_after(end))
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
