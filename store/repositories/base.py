"""The repository base every domain uses: a session, and rows owned by one account (tenant).

``get_owned`` is the one "get or 404" of the codebase: another account's id answers exactly like a missing
one, with the same message, so ids of other tenants cannot be probed."""

from __future__ import annotations

from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import NotFound

RowT = TypeVar("RowT")


class Repository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session


class OwnedRepository(Repository, Generic[RowT]):
    """Rows with an ``account_id``; subclasses name their model and the noun used in 404 messages."""

    model: ClassVar[type[Any]]
    noun: ClassVar[str]

    def owned(self, account_id: str) -> Select[Any]:
        """The account's visible rows; subclasses narrow it (soft deletes) or add eager loads."""
        return select(self.model).where(self.model.account_id == account_id)

    async def get(self, account_id: str, row_id: str) -> RowT | None:
        row: RowT | None = await self.session.scalar(self.owned(account_id).where(self.model.id == row_id))
        return row

    async def get_owned(self, account_id: str, row_id: str) -> RowT:
        row = await self.get(account_id, row_id)
        if row is None:
            raise NotFound(f"{self.noun} {row_id} not found")
        return row

    async def add(self, row: RowT) -> RowT:
        self.session.add(row)
        await self.session.flush()
        return row
