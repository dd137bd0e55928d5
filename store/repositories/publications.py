"""Publications: one row per content item, connected account and publish round."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.publishing import PublicationStatus
from store.locking import lock_row
from store.models import Publication
from store.types import utcnow


class PublicationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_all(self, publications: Sequence[Publication]) -> None:
        self.session.add_all(publications)
        await self.session.flush()

    async def get(self, publication_id: str) -> Publication | None:
        return await self.session.get(Publication, publication_id)

    async def get_for_update(self, publication_id: str) -> Publication | None:
        return await lock_row(self.session, Publication, publication_id)

    async def latest_round(self, content_id: str) -> int:
        value = await self.session.scalar(
            select(func.max(Publication.round)).where(Publication.content_id == content_id)
        )
        return int(value or 0)

    async def for_round(self, content_id: str, round: int) -> Sequence[Publication]:
        query = (
            select(Publication)
            .where(Publication.content_id == content_id, Publication.round == round)
            .order_by(Publication.created_at, Publication.id)
        )
        return (await self.session.scalars(query)).all()

    async def live_in_latest_round(self, content_id: str) -> Sequence[Publication]:
        """The targets of the item's latest round whose post is live on its platform (what unpublish pulls)."""
        round = await self.latest_round(content_id)
        return [p for p in await self.for_round(content_id, round) if p.status == PublicationStatus.PUBLISHED]

    async def for_ids(self, publication_ids: Sequence[str]) -> Sequence[Publication]:
        query = select(Publication).where(Publication.id.in_(publication_ids)).order_by(Publication.id)
        return (await self.session.scalars(query)).all()

    async def save(self, publication: Publication) -> None:
        publication.updated_at = utcnow()
        await self.session.flush()
