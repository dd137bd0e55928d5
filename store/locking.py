"""Row locks that hold on SQLite too.

PostgreSQL locks the row with ``SELECT … FOR UPDATE``. SQLite ignores FOR UPDATE and, with pysqlite's
deferred transactions, reads outside any write transaction, so two writers could both read the old state.
A no-op UPDATE first takes SQLite's database write lock, held until commit; a second writer waits on it
(busy timeout) and then reads the committed row."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

RowT = TypeVar("RowT")


async def lock_row(session: AsyncSession, model: type[RowT], row_id: str) -> RowT | None:
    id_column: Any = model.id  # type: ignore[attr-defined]
    if session.get_bind().dialect.name == "sqlite":
        await session.execute(
            update(model).where(id_column == row_id).values(id=id_column).execution_options(synchronize_session=False)
        )
    result: RowT | None = await session.scalar(
        select(model).where(id_column == row_id).with_for_update().execution_options(populate_existing=True)
    )
    return result
