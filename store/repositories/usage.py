"""The usage ledger: one row per charge, keyed so a retried activity cannot charge twice."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.pricing import RATES, BillableAction
from store.inserts import insert_unless_present
from store.models import UsageRecord


class UsageRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def charge(
        self, account_id: str, charge_key: str, action: BillableAction, units: int = 1, subject_id: str | None = None
    ) -> bool:
        """Record a charge at the published rate; False when this key was charged already."""
        price = RATES[action]
        return await insert_unless_present(
            self.session,
            UsageRecord.__table__,
            "charge_key",
            {
                "account_id": account_id,
                "charge_key": charge_key,
                "action": action.value,
                "units": units,
                "unit_price": price,
                "amount": price * units,
                "subject_id": subject_id,
            },
        )

    async def summary(
        self, account_id: str, start: datetime | None, end: datetime | None
    ) -> Sequence[tuple[date, str, int, int, Decimal]]:
        """(day, action, charges, units, amount) rows, oldest day first."""
        # date() rather than CAST(... AS DATE): SQLite casts "2026-11-30 11:50:42" to the number 2026, while
        # date() gives the day on SQLite and PostgreSQL alike (a string on one, a date on the other).
        day = func.date(UsageRecord.created_at).label("day")
        query = (
            select(day, UsageRecord.action, func.count(), func.sum(UsageRecord.units), func.sum(UsageRecord.amount))
            .where(UsageRecord.account_id == account_id)
            .group_by(day, UsageRecord.action)
            .order_by(day, UsageRecord.action)
        )
        if start is not None:
            query = query.where(UsageRecord.created_at >= start)
        if end is not None:
            query = query.where(UsageRecord.created_at < end)
        rows = (await self.session.execute(query)).all()
        return [
            (
                row[0] if isinstance(row[0], date) else date.fromisoformat(str(row[0])[:10]),
                row[1],
                int(row[2]),
                int(row[3] or 0),
                Decimal(str(row[4] or 0)),
            )
            for row in rows
        ]
