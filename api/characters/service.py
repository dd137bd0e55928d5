"""Character work: the ingredient library, and the specs of wardrobe generation and photo analysis."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from api.characters.schemas import WardrobeBody
from api.influencers.schemas import IngredientsPatch
from api.influencers.service import get_influencer
from api.starter import JobSpec
from api.uploads import CheckedImage
from contracts.jobs import ANALYZE_PHOTOS_WORKFLOW, WARDROBE_WORKFLOW, AnalyzePhotosInput, WardrobeInput
from domain.jobs import JobKind
from providers.storage.base import MediaStorage
from store.models import Influencer
from store.repositories.influencers import InfluencerRepository


async def patch_ingredients(
    session: AsyncSession, account_id: str, influencer_id: str, body: IngredientsPatch
) -> Influencer:
    influencer = await get_influencer(session, account_id, influencer_id)
    merged = dict(influencer.ingredients or {})
    merged.update(body.model_dump(mode="json", exclude_none=True))
    influencer.ingredients = merged
    return await InfluencerRepository(session).save(influencer)


def wardrobe_job(influencer: Influencer, body: WardrobeBody) -> JobSpec:
    return JobSpec(
        kind=JobKind.WARDROBE,
        workflow=WARDROBE_WORKFLOW,
        account_id=influencer.account_id,
        subject_id=influencer.id,
        summary=f"Wardrobe of {body.count} pieces for {influencer.name} ({influencer.id})",
        params=body.model_dump(by_alias=True),
        make_input=lambda job_id: WardrobeInput(
            job_id=job_id,
            account_id=influencer.account_id,
            influencer_id=influencer.id,
            count=body.count,
            save=body.save,
        ),
    )


async def photo_analysis_job(storage: MediaStorage, account_id: str, photos: Sequence[CheckedImage]) -> JobSpec:
    """Store the checked photos, then describe the job that analyses them by storage key."""
    namespace = f"{account_id}/uploads/photo-analysis"
    keys = [await storage.put(namespace, photo.data, photo.content_type) for photo in photos]
    content_types = [photo.content_type for photo in photos]
    return JobSpec(
        kind=JobKind.ANALYZE_PHOTOS,
        workflow=ANALYZE_PHOTOS_WORKFLOW,
        account_id=account_id,
        summary=f"Analyze {len(keys)} photos",
        params={"photos": len(keys)},
        make_input=lambda job_id: AnalyzePhotosInput(
            job_id=job_id, account_id=account_id, media_keys=keys, content_types=content_types
        ),
    )
