"""``INSERT … ON CONFLICT DO NOTHING`` on SQLite and PostgreSQL alike: one statement where a read, a
savepoint and an insert would be three round trips, and still safe when two writers race."""

from __future__ import annotations

from typing import Any

from sqlalchemy import FromClause
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


async def insert_unless_present(
    session: AsyncSession, table: FromClause, conflict_column: str, values: dict[str, Any]
) -> bool:
    """Insert one row; False, and nothing written, when a row with the same ``conflict_column`` (which must
    carry a unique constraint) is already there."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table).values(**values).on_conflict_do_nothing(index_elements=[conflict_column])
    result = await session.execute(statement)
    return bool(getattr(result, "rowcount", 0))
