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

    async def take(self, state: str, api_key_id: str) -> OAuthState | None:
        """The pending connection started by this key, removed so its code cannot be exchanged twice. A state
        started by another key is left untouched (None): a stranger presenting it must not burn it. The
        conditional delete is the claim, so of two concurrent callbacks exactly one gets the row."""
        pending = await self.session.get(OAuthState, state)
        if pending is None or pending.api_key_id != api_key_id:
            return None
        claimed = await self.session.execute(
            delete(OAuthState).where(OAuthState.state == state, OAuthState.api_key_id == api_key_id)
        )
        self.session.expunge(pending)
        return pending if getattr(claimed, "rowcount", 0) == 1 else None
