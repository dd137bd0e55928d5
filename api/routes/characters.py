"""``/characters``: the character-editing endpoints of the reference (ingredient library, later wardrobe,
photo analysis and voice). A character is an influencer seen from its creative side; ids are shared."""

from __future__ import annotations

from fastapi import APIRouter

from api.auth import CharacterWrite
from api.deps import SessionDep, StorageDep
from api.presenters import influencer_out
from api.schemas.influencers import InfluencerOut, IngredientsPatch
from api.services import influencers as service

router = APIRouter(prefix="/characters", tags=["characters"])


@router.patch(
    "/{character_id}/ingredients",
    response_model=InfluencerOut,
    summary="Patch ingredient library fields without overwriting siblings",
    description="Each list named in the body replaces that list; lists left out (or null) stay as they are.",
)
async def patch_ingredients(
    character_id: str, body: IngredientsPatch, principal: CharacterWrite, session: SessionDep, storage: StorageDep
) -> InfluencerOut:
    influencer = await service.patch_ingredients(session, principal.account_id, character_id, body)
    return influencer_out(influencer, storage)
