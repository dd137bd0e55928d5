"""Influencers and their reference images. Deleted influencers vanish from every read at once; the cleanup
workflow purges the row later."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, delete, select
from sqlalchemy.orm import selectinload

from store.models import Influencer, ReferenceImage
from store.pagination import Page, paginate
from store.repositories.base import OwnedRepository
from store.types import utcnow


class InfluencerRepository(OwnedRepository[Influencer]):
    model = Influencer
    noun = "influencer"

    def owned(self, account_id: str) -> Select[Any]:
        """Live influencers only, with their references (a deleted one answers 404 at once)."""
        return (
            select(Influencer)
            .where(Influencer.account_id == account_id, Influencer.deleted_at.is_(None))
            .options(selectinload(Influencer.references))
        )

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

    async def purge(self, influencer_id: str) -> bool:
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
