"""Jobs on a character (influencer): generate wardrobe items for its ingredient library, and analyse
uploaded photos into a base prompt and wardrobe suggestions."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity

from activities.context import character_of
from activities.errors import gone, provider_errors
from contracts.jobs import AnalyzePhotosInput, PhotosAnalysed, WardrobeGenerated, WardrobeInput, WardrobeItem
from domain.jobs import JobStatus
from domain.pricing import BillableAction
from domain.seeds import derived_seed
from providers.storage.base import MediaStorage
from providers.text.base import TextProvider, WardrobeRequest
from providers.vision.base import PhotoInput, VisionProvider
from store.db import transaction
from store.repositories.influencers import InfluencerRepository
from store.repositories.jobs import JobRepository
from store.repositories.usage import UsageRepository


class CharacterActivities:
    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        text: TextProvider,
        vision: VisionProvider,
        storage: MediaStorage,
    ) -> None:
        self.session_factory = session_factory
        self.text = text
        self.vision = vision
        self.storage = storage

    @activity.defn
    async def generate_wardrobe(self, input: WardrobeInput) -> WardrobeGenerated:
        async with transaction(self.session_factory) as session:
            await JobRepository(session).mark_running(input.job_id)
            influencer = await InfluencerRepository(session).get(input.account_id, input.influencer_id)
            if influencer is None:
                raise gone(f"influencer {input.influencer_id}")
            character = character_of(influencer)
        existing = [str(w.get("name")) for w in character.ingredients.get("wardrobe") or []]
        request = WardrobeRequest(
            base_prompt=character.base_prompt or character.name,
            personality=character.personality,
            count=input.count,
            existing=existing,
            seed=derived_seed(input.job_id),
        )
        with provider_errors():
            wardrobe = await self.text.wardrobe(request)
        items = [WardrobeItem.model_validate(item.model_dump()) for item in wardrobe.items]
        async with transaction(self.session_factory) as session:
            job = await JobRepository(session).get_any(input.job_id)
            influencer = await InfluencerRepository(session).get(input.account_id, input.influencer_id)
            if input.save and influencer is not None and job is not None and job.status != JobStatus.COMPLETED:
                current = list((influencer.ingredients or {}).get("wardrobe") or [])
                names = {str(w.get("name")).lower() for w in current}
                added = [i.model_dump(mode="json") for i in items if i.name.lower() not in names]
                influencer.ingredients = {**(influencer.ingredients or {}), "wardrobe": current + added}
                await InfluencerRepository(session).save(influencer)
            await UsageRepository(session).charge(
                input.account_id,
                f"{input.job_id}:wardrobe",
                BillableAction.WARDROBE_GENERATION,
                subject_id=input.influencer_id,
            )
        return WardrobeGenerated(items=items, saved=input.save)

    @activity.defn
    async def analyze_photos(self, input: AnalyzePhotosInput) -> PhotosAnalysed:
        async with transaction(self.session_factory) as session:
            await JobRepository(session).mark_running(input.job_id)
        photos = [
            PhotoInput(data=await self.storage.get(key), content_type=content_type, filename=key.rsplit("/", 1)[-1])
            for key, content_type in zip(input.media_keys, input.content_types, strict=True)
        ]
        with provider_errors():
            analysis = await self.vision.analyze(photos)
        async with transaction(self.session_factory) as session:
            await UsageRepository(session).charge(
                input.account_id, f"{input.job_id}:photos", BillableAction.PHOTO_ANALYSIS, units=len(photos)
            )
        return PhotosAnalysed.model_validate(analysis.model_dump())
