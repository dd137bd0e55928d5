"""Content items: the review queue and everything generated or uploaded into it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select

from domain.video import MEDIA_TYPE_VIDEO
from store.locking import lock_row
from store.models import CollaborationMember, ContentItem
from store.pagination import Page, paginate
from store.repositories.base import OwnedRepository
from store.types import utcnow


class ContentRepository(OwnedRepository[ContentItem]):
    model = ContentItem
    noun = "content"


    async def get_any(self, content_id: str) -> ContentItem | None:
        return await self.session.get(ContentItem, content_id)

    async def get_for_update(self, content_id: str) -> ContentItem | None:
        """Locked until commit, so concurrent transitions of one item serialise (SQLite included)."""
        return await lock_row(self.session, ContentItem, content_id)

    async def list(
        self,
        account_id: str,
        *,
        limit: int,
        cursor: str | None,
        status: str | None = None,
        influencer_id: str | None = None,
        profile_id: str | None = None,
        batch_id: str | None = None,
    ) -> Page[ContentItem]:
        query: Any = select(ContentItem).where(ContentItem.account_id == account_id)
        if influencer_id:
            # A collaboration item belongs to every member's feed, not only to the first member's.
            with_member = select(CollaborationMember.collaboration_id).where(
                CollaborationMember.influencer_id == influencer_id
            )
            query = query.where(
                or_(ContentItem.influencer_id == influencer_id, ContentItem.collaboration_id.in_(with_member))
            )
        for column, value in (
            (ContentItem.status, status),
            (ContentItem.profile_id, profile_id),
            (ContentItem.batch_id, batch_id),
        ):
            if value:
                query = query.where(column == value)
        return await paginate(
            self.session, query, created_col=ContentItem.created_at, id_col=ContentItem.id, limit=limit, cursor=cursor
        )


    async def save(self, item: ContentItem) -> ContentItem:
        item.updated_at = utcnow()
        await self.session.flush()
        return item

    async def present_video(self, item: ContentItem, video: dict[str, Any]) -> ContentItem:
        """The item presents this video (a stored ``VideoAsset``) from now on; its image stays in ``media_key``."""
        item.video = video
        item.media_type = MEDIA_TYPE_VIDEO
        return await self.save(item)

    async def delete(self, item: ContentItem) -> None:
        await self.session.delete(item)
        await self.session.flush()
