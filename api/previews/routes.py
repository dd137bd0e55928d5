"""``/previews``: read a preview look and adopt it. Previews are generated from
``/influencers/{id}/previews``."""

from __future__ import annotations

from fastapi import APIRouter

from api.auth import CharacterRead, CharacterWrite
from api.deps import SessionDep, StorageDep
from api.influencers.schemas import InfluencerOut, influencer_out
from api.previews import service
from api.previews.schemas import PreviewOut, preview_out

router = APIRouter(prefix="/previews", tags=["previews"])


@router.get("/{preview_id}", response_model=PreviewOut, summary="Get a preview result")
async def get_preview(
    preview_id: str, principal: CharacterRead, session: SessionDep, storage: StorageDep
) -> PreviewOut:
    return preview_out(await service.get_preview(session, principal.account_id, preview_id), storage)


@router.post(
    "/{preview_id}/adopt",
    response_model=InfluencerOut,
    summary="Adopt a preview as the influencer's look",
    description="The preview's seed and grade become the influencer's, and its image the front reference.",
)
async def adopt(preview_id: str, principal: CharacterWrite, session: SessionDep, storage: StorageDep) -> InfluencerOut:
    influencer = await service.adopt_preview(session, principal.account_id, preview_id)
    return influencer_out(influencer, storage)
