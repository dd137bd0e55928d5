"""Pending OAuth connections."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import OAuthState
from store.types import utcnow


class OAuthStateRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, state: OAuthState) -> None:
        await self.session.execute(delete(OAuthState).where(OAuthState.expires_at < utcnow()))
        self.session.add(state)
        await self.session.flush()

    async def take(self, state: str) -> OAuthState | None:
        """The pending connection, removed so its code cannot be exchanged twice."""
        pending = await self.session.get(OAuthState, state)
        if pending is not None:
            await self.session.delete(pending)
            await self.session.flush()
        return pending
