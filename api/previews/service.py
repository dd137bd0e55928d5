"""Preview looks: reading one, and adopting it as the influencer's look."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from api.influencers.service import get_influencer
from core.ids import new_id
from store.models import Influencer, Preview, ReferenceImage
from store.pagination import Page
from store.repositories.influencers import InfluencerRepository
from store.repositories.jobs import PreviewRepository
from store.types import utcnow


async def get_preview(session: AsyncSession, account_id: str, preview_id: str) -> Preview:
    return await PreviewRepository(session).get_owned(account_id, preview_id)


async def list_previews(
    session: AsyncSession, influencer: Influencer, *, limit: int, cursor: str | None
) -> Page[Preview]:
    return await PreviewRepository(session).list(influencer.account_id, influencer.id, limit=limit, cursor=cursor)


async def adopt_preview(session: AsyncSession, account_id: str, preview_id: str) -> Influencer:
    """Make a preview the influencer's look: its seed and grade, and its image as the front reference."""
    preview = await get_preview(session, account_id, preview_id)
    influencer = await get_influencer(session, account_id, preview.influencer_id)
    influencer.seed = preview.seed
    influencer.aesthetic_grade = preview.aesthetic_grade
    preview.adopted_at = utcnow()
    await InfluencerRepository(session).replace_references(
        influencer,
        [
            ReferenceImage(
                id=new_id("ref"),
                view="front",
                media_key=preview.media_key,
                content_type="image/png",
                source="generated",
            )
        ],
    )
    return await InfluencerRepository(session).save(influencer)

