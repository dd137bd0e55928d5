"""Finding one of the caller's content items, or 404."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import NotFound
from store.models import ContentItem
from store.repositories.content import ContentRepository


async def get_content(session: AsyncSession, account_id: str, content_id: str) -> ContentItem:
    item = await ContentRepository(session).get(account_id, content_id)
    if item is None:
        raise NotFound(f"content {content_id} not found")
    return item
