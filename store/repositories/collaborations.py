"""Collaborations, their members, and what reads of them need beside: which members still exist, the
content each made, and how each member is named on a target platform."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from store.models import Batch, Collaboration, CollaborationMember, ContentItem, Influencer, Profile, SocialAccount
from store.pagination import Page, paginate
from store.repositories.base import OwnedRepository


class CollaborationRepository(OwnedRepository[Collaboration]):
    model = Collaboration
    noun = "collaboration"

    def owned(self, account_id: str) -> Select[Any]:
        return (
            select(Collaboration)
            .where(Collaboration.account_id == account_id)
            .options(selectinload(Collaboration.members))
        )

    async def live_influencer_ids(self, account_id: str, influencer_ids: Sequence[str]) -> set[str]:
        """Those of ``influencer_ids`` that are the account's and not deleted."""
        if not influencer_ids:
            return set()
        rows = await self.session.scalars(
            select(Influencer.id).where(
                Influencer.account_id == account_id,
                Influencer.id.in_(list(influencer_ids)),
                Influencer.deleted_at.is_(None),
            )
        )
        return set(rows.all())

    async def batches(self, batch_ids: Sequence[str]) -> dict[str, Batch]:
        if not batch_ids:
            return {}
        rows = await self.session.scalars(select(Batch).where(Batch.id.in_(list(batch_ids))))
        return {batch.id: batch for batch in rows.all()}

    async def content_ids(self, collaboration_ids: Sequence[str]) -> dict[str, list[str]]:
        """Each collaboration's content item ids, oldest first, in one query whatever the page size."""
        found: dict[str, list[str]] = {cid: [] for cid in collaboration_ids}
        if not collaboration_ids:
            return found
        rows = await self.session.execute(
            select(ContentItem.collaboration_id, ContentItem.id)
            .where(ContentItem.collaboration_id.in_(list(collaboration_ids)))
            .order_by(ContentItem.created_at, ContentItem.id)
        )
        for collaboration_id, content_id in rows.all():
            found[str(collaboration_id)].append(content_id)
        return found

    async def handles_on_target(self, account_id: str, profile_id: str | None, influencer_ids: Sequence[str]) -> dict[
        str, str
    ]:
        """Member id → handle of the member's connected account on the target platform: the platform of the
        first account connected to ``profile_id`` (where the content is published). Members without an
        account there are absent."""
        if profile_id is None or not influencer_ids:
            return {}
        platform = await self.session.scalar(
            select(SocialAccount.platform)
            .where(SocialAccount.account_id == account_id, SocialAccount.profile_id == profile_id)
            .order_by(SocialAccount.created_at, SocialAccount.id)
            .limit(1)
        )
        if platform is None:
            return {}
        rows = await self.session.execute(
            select(Profile.influencer_id, SocialAccount.handle)
            .join(Profile, SocialAccount.profile_id == Profile.id)
            .where(
                SocialAccount.account_id == account_id,
                SocialAccount.platform == platform,
                Profile.influencer_id.in_(list(influencer_ids)),
            )
            .order_by(SocialAccount.created_at, SocialAccount.id)
        )
        handles: dict[str, str] = {}
        for influencer_id, handle in rows.all():
            handles.setdefault(str(influencer_id), handle)
        return handles

    async def list(
        self, account_id: str, *, limit: int, cursor: str | None, influencer_id: str | None = None
    ) -> Page[Collaboration]:
        query = self.owned(account_id)
        if influencer_id:
            with_member = select(CollaborationMember.collaboration_id).where(
                CollaborationMember.influencer_id == influencer_id
            )
            query = query.where(Collaboration.id.in_(with_member))
        return await paginate(
            self.session,
            query,
            created_col=Collaboration.created_at,
            id_col=Collaboration.id,
            limit=limit,
            cursor=cursor,
        )
