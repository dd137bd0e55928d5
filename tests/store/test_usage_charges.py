"""A charge is recorded once per key, whoever asks first, on SQLite and PostgreSQL: retried activities and
concurrent attempts of one step must not bill twice, and a second charge under the same key leaves the first
row as it was."""

from __future__ import annotations

import asyncio
from decimal import Decimal

from sqlalchemy import select

from domain.pricing import RATES, BillableAction
from store.db import create_engine, create_session_factory, transaction
from store.models import UsageRecord
from store.repositories.usage import UsageRepository
from tests.utils.factories import make_tenant


async def test_a_key_is_charged_once_even_when_attempts_race(database_url: str) -> None:
    engine = create_engine(database_url)
    sessions = create_session_factory(engine)
    try:
        tenant = await make_tenant(sessions)

        async def charge(units: int) -> bool:
            async with transaction(sessions) as session:
                return await UsageRepository(session).charge(
                    tenant.account_id, "cnt_race:image:7", BillableAction.IMAGE_GENERATION, units, "cnt_race"
                )

        outcomes = await asyncio.gather(*(charge(2) for _ in range(5)))
        assert sorted(outcomes) == [False, False, False, False, True]
        # The same key again, with other units: refused, and the recorded row is untouched.
        assert await charge(9) is False

        async with sessions() as session:
            rows = (await session.scalars(select(UsageRecord).where(UsageRecord.account_id == tenant.account_id))).all()
        assert len(rows) == 1
        row = rows[0]
        rate = RATES[BillableAction.IMAGE_GENERATION]
        assert (row.charge_key, row.action, row.units, row.subject_id) == (
            "cnt_race:image:7", BillableAction.IMAGE_GENERATION.value, 2, "cnt_race"
        )
        assert Decimal(row.unit_price) == rate and Decimal(row.amount) == rate * 2
        assert row.created_at is not None and row.id > 0
    finally:
        await engine.dispose()
