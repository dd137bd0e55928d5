"""Influencers and their reference images. Deleted influencers vanish from every read at once; the cleanup
workflow purges the row later."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, delete, select
from sqlalchemy.orm import selectinload

from domain.content import KEPT_ON_INFLUENCER_DELETE
from domain.publishing import PublicationStatus
from store.models import Batch, ContentItem, Influencer, Job, Preview, Publication, ReferenceImage
from store.pagination import Page, paginate
from store.repositories.base import OwnedRepository
from store.types import utcnow


class InfluencerRepository(OwnedRepository[Influencer]):
    model = Influencer
    noun = "influencer"

    def owned(self, account_id: str) -> Select[Any]:
        """Live influencers only, with their references (a deleted one answers 404 at once)."""
        return self._live(account_id).options(selectinload(Influencer.references))

    async def get_without_references(self, account_id: str, influencer_id: str) -> Influencer | None:
        """A live influencer, its references left unloaded: planning and captions read only its persona."""
        return await self.session.scalar(self._live(account_id).where(Influencer.id == influencer_id))

    @staticmethod
    def _live(account_id: str) -> Select[Any]:
        return select(Influencer).where(Influencer.account_id == account_id, Influencer.deleted_at.is_(None))

    async def get_any(self, influencer_id: str) -> Influencer | None:
        """Also a soft-deleted one: the cleanup workflow needs it after the API has hidden it."""
        return await self.session.get(Influencer, influencer_id)

    async def list(self, account_id: str, *, limit: int, cursor: str | None) -> Page[Influencer]:
        return await paginate(
            self.session,
            self.owned(account_id),
            created_col=Influencer.created_at,
            id_col=Influencer.id,
            limit=limit,
            cursor=cursor,
        )

    async def add(self, influencer: Influencer) -> Influencer:
        self.session.add(influencer)
        await self.session.flush()
        await self.session.refresh(influencer, ["references"])
        return influencer

    async def save(self, influencer: Influencer) -> Influencer:
        influencer.updated_at = utcnow()
        await self.session.flush()
        await self.session.refresh(influencer)
        await self.session.refresh(influencer, ["references"])
        return influencer

    async def soft_delete(self, influencer: Influencer) -> None:
        influencer.deleted_at = utcnow()
        await self.session.flush()

    async def removable_content_ids(self, influencer_id: str) -> Sequence[str]:
        """The influencer's content items a delete removes: all but those live on a platform or on their way
        there (status scheduled, publishing or published, or any target still published), and but those of a
        collaboration, which belong to every member and stay with it."""
        live = select(Publication.content_id).where(Publication.status == PublicationStatus.PUBLISHED)
        query = (
            select(ContentItem.id)
            .where(
                ContentItem.influencer_id == influencer_id,
                # Collaboration items show other members too: they stay with their collaboration.
                ContentItem.collaboration_id.is_(None),
                ContentItem.status.not_in([s.value for s in KEPT_ON_INFLUENCER_DELETE]),
                ContentItem.id.not_in(live),
            )
            .order_by(ContentItem.id)
        )
        return (await self.session.scalars(query)).all()

    async def purge(self, influencer_id: str, content_ids: Sequence[str]) -> bool:
        """Delete the influencer and everything it owns: the given content items (their publications go by
        cascade), previews, batches (items by cascade), jobs about it or those items, reference images
        (cascade). Kept content items keep their ``influencer_id`` as a plain, now dangling, attribution."""
        if content_ids:
            await self.session.execute(delete(ContentItem).where(ContentItem.id.in_(content_ids)))
        subjects = [influencer_id, *content_ids]
        await self.session.execute(delete(Job).where(Job.subject_id.in_(subjects)))
        await self.session.execute(delete(Preview).where(Preview.influencer_id == influencer_id))
        await self.session.execute(delete(Batch).where(Batch.influencer_id == influencer_id))
        result = await self.session.execute(delete(Influencer).where(Influencer.id == influencer_id))
        return bool(getattr(result, "rowcount", 0))

    async def replace_references(self, influencer: Influencer, references: Sequence[ReferenceImage]) -> None:
        """Set the reference images: a view given again replaces the old image of that view."""
        views = {ref.view for ref in references}
        await self.session.execute(
            delete(ReferenceImage).where(ReferenceImage.influencer_id == influencer.id, ReferenceImage.view.in_(views))
        )
        for position, ref in enumerate(references):
            ref.influencer_id = influencer.id
            ref.position = position
            self.session.add(ref)
        await self.session.flush()
        self.session.expire(influencer, ["references"])
        await self.session.refresh(influencer, ["references"])
