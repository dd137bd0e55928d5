"""Short generation jobs: regenerate a content item, fine-tune a caption, generate wardrobe items, analyse
photos, draft content directions; and the job rows that the API polls."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.context import character_of, load_context
from activities.errors import gone, provider_errors
from activities.planning import plan_scene
from contracts.cleanup import content_media_namespace
from contracts.generation import GenerationOptions, ItemPlan, ItemRef, derived_id, derived_seed
from contracts.jobs import (
    AnalyzePhotosInput,
    ContentDirectionsInput,
    FineTuneCaptionInput,
    JobOutcome,
    RegenerateInput,
    RegenerationAborted,
    RegenerationDone,
    RegenerationPlan,
    WardrobeInput,
)
from core.casing import camelize
from core.content_history import push_version
from core.content_status import ContentAction, ContentStatus, check_transition
from core.errors import Conflict
from core.pricing import BillableAction
from providers.storage.base import MediaStorage
from providers.text.base import CaptionRequest, ContentDirectionRequest, TextProvider, WardrobeRequest
from providers.vision.base import PhotoInput, VisionProvider
from store.db import transaction
from store.models import ContentItem
from store.repositories.content import ContentRepository
from store.repositories.influencers import InfluencerRepository
from store.repositories.jobs import JobRepository
from store.repositories.profiles import ProfileRepository
from store.repositories.usage import UsageRepository

INVALID_TRANSITION = "InvalidTransition"


class JobActivities:
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
    async def complete_job(self, outcome: JobOutcome) -> None:
        async with transaction(self.session_factory) as session:
            await JobRepository(session).finish(outcome.job_id, outcome.status, outcome.result, outcome.error)

    @activity.defn
    async def begin_regeneration(self, input: RegenerateInput) -> RegenerationPlan:
        """Keep the current version in the history, mark the item generating, plan its new version."""
        async with transaction(self.session_factory) as session:
            await JobRepository(session).mark_running(input.job_id)
            item = await self._content(session, input.account_id, input.content_id)
            job = await JobRepository(session).get_any(input.job_id)
            progress = (job.progress or {}) if job is not None else {}
            started = progress.get("revision")
            if started is not None and item.status == ContentStatus.GENERATING:
                revision, previous = int(started), str(progress.get("previousStatus"))
            else:
                try:
                    check_transition(ContentAction.REGENERATE, item.status)
                except Conflict as exc:
                    raise ApplicationError(exc.message, type=INVALID_TRANSITION, non_retryable=True) from exc
                previous = item.status
                push_version(item)
                item.revision += 1
                item.status = ContentStatus.GENERATING
                revision = item.revision
                # Remember the step on the job, so a retry after a crash continues instead of pushing twice.
                await JobRepository(session).mark_running(
                    input.job_id, {"revision": revision, "previousStatus": previous}
                )
            context = await load_context(session, input.account_id, item.influencer_id or "", item.profile_id)
        seed = derived_seed(item.id, revision)
        options = GenerationOptions(
            mood=item.plan.get("mood"),
            setting=item.plan.get("setting"),
            time_of_day=item.plan.get("timeOfDay"),
            content_direction_id=item.plan.get("contentDirectionId"),
            aesthetic_grade=item.plan.get("aestheticGrade"),
        )
        scene = plan_scene(context.character, context.directions, options, seed)
        ref = ItemRef(
            batch_id=None,
            account_id=input.account_id,
            kind="content",
            position=0,
            influencer_id=context.influencer.id,
            profile_id=item.profile_id,
            options=options,
        )
        plan = ItemPlan(
            item=ref,
            result_id=item.id,
            prompt=scene.prompt,
            seed=seed,
            wardrobe=scene.wardrobe,
            mood=scene.mood,
            setting=scene.setting,
            time_of_day=scene.time_of_day,
            props=scene.props,
            direction_id=scene.direction_id,
            direction_title=scene.direction_title,
            grade_id=scene.grade_id,
            scene_description=scene.description,
            media_namespace=content_media_namespace(input.account_id, item.id),
        )
        return RegenerationPlan(plan=plan, revision=revision, previous_status=previous)

    @activity.defn
    async def complete_regeneration(self, done: RegenerationDone) -> None:
        async with transaction(self.session_factory) as session:
            item = await ContentRepository(session).get_for_update(done.content_id)
            if item is None:
                raise gone(f"content {done.content_id}")
            if item.status == ContentStatus.GENERATING:
                item.media_key = done.media.media_key
                item.media_type = done.media.content_type
                item.width, item.height = done.media.width, done.media.height
                item.caption, item.hashtags = done.caption.caption, list(done.caption.hashtags)
                item.prompt, item.seed = done.plan.prompt, done.plan.seed
                item.plan = {
                    **(item.plan or {}),
                    "scene": done.plan.scene_description,
                    "wardrobe": done.plan.wardrobe,
                    "props": done.plan.props,
                    "mood": done.plan.mood,
                    "setting": done.plan.setting,
                }
                item.status = ContentStatus.PENDING_REVIEW
                await ContentRepository(session).save(item)
            await JobRepository(session).finish(
                done.job_id, "completed", {"contentId": done.content_id, "revision": item.revision}, None
            )

    @activity.defn
    async def abort_regeneration(self, input: RegenerationAborted) -> None:
        """Put the previous version back, so a failed regenerate loses nothing."""
        async with transaction(self.session_factory) as session:
            item = await ContentRepository(session).get_for_update(input.content_id)
            if item is not None and item.status == ContentStatus.GENERATING and item.revision == input.revision:
                history = list(item.history or [])
                if history:
                    last = history.pop()
                    item.caption, item.hashtags = last.get("caption", ""), last.get("hashtags", [])
                    item.media_key, item.prompt, item.seed = (
                        last.get("mediaKey"),
                        last.get("prompt", ""),
                        last.get("seed", 0),
                    )
                    item.history = history
                item.revision -= 1
                item.status = input.previous_status
                item.error = input.error[:2000]
                await ContentRepository(session).save(item)
            await JobRepository(session).finish(input.job_id, "failed", None, input.error)

    @activity.defn
    async def fine_tune_caption(self, input: FineTuneCaptionInput) -> dict[str, Any]:
        async with transaction(self.session_factory) as session:
            await JobRepository(session).mark_running(input.job_id)
            item = await self._content(session, input.account_id, input.content_id)
            context = await load_context(session, input.account_id, item.influencer_id or "", item.profile_id)
        plan = item.plan or {}
        request = CaptionRequest(
            influencer_name=context.character.name,
            personality=context.character.personality,
            bio=context.influencer.bio,
            mood=plan.get("mood"),
            setting=plan.get("setting"),
            time_of_day=plan.get("timeOfDay"),
            scene_description=str(plan.get("scene", "")),
            content_directions=[str(d.get("title", "")) for d in context.directions],
            instruction=input.instruction,
            previous_caption=item.caption,
            seed=derived_seed(input.job_id),
        )
        with provider_errors():
            caption = await self.text.caption(request)
        async with transaction(self.session_factory) as session:
            current = await ContentRepository(session).get_for_update(input.content_id)
            if current is None:
                raise gone(f"content {input.content_id}")
            item = current
            job = await JobRepository(session).get_any(input.job_id)
            if job is not None and job.status != "completed":
                push_version(item)
                item.caption, item.hashtags = caption.caption, list(caption.hashtags)
                await ContentRepository(session).save(item)
                await UsageRepository(session).charge(
                    input.account_id, f"{input.job_id}:caption", BillableAction.CAPTION_GENERATION, subject_id=item.id
                )
        return {"contentId": input.content_id, "caption": caption.caption, "hashtags": list(caption.hashtags)}

    @activity.defn
    async def generate_wardrobe(self, input: WardrobeInput) -> dict[str, Any]:
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
        items = [item.model_dump(mode="json") for item in wardrobe.items]
        async with transaction(self.session_factory) as session:
            job = await JobRepository(session).get_any(input.job_id)
            influencer = await InfluencerRepository(session).get(input.account_id, input.influencer_id)
            if input.save and influencer is not None and job is not None and job.status != "completed":
                current = list((influencer.ingredients or {}).get("wardrobe") or [])
                names = {str(w.get("name")).lower() for w in current}
                added = [i for i in items if i["name"].lower() not in names]
                influencer.ingredients = {**(influencer.ingredients or {}), "wardrobe": current + added}
                await InfluencerRepository(session).save(influencer)
            await UsageRepository(session).charge(
                input.account_id,
                f"{input.job_id}:wardrobe",
                BillableAction.WARDROBE_GENERATION,
                subject_id=input.influencer_id,
            )
        return camelize({"items": items, "saved": input.save})

    @activity.defn
    async def analyze_photos(self, input: AnalyzePhotosInput) -> dict[str, Any]:
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
        return camelize(analysis.model_dump(mode="json"))

    @activity.defn
    async def draft_content_directions(self, input: ContentDirectionsInput) -> dict[str, Any]:
        async with transaction(self.session_factory) as session:
            await JobRepository(session).mark_running(input.job_id)
            profile = await ProfileRepository(session).get(input.account_id, input.profile_id)
            if profile is None:
                raise gone(f"profile {input.profile_id}")
            influencer = (
                await InfluencerRepository(session).get(input.account_id, profile.influencer_id)
                if profile.influencer_id
                else None
            )
        request = ContentDirectionRequest(
            prompt=input.prompt,
            profile_name=profile.name,
            personality=influencer.personality if influencer else "",
            count=input.count,
            seed=derived_seed(input.job_id),
        )
        with provider_errors():
            drafted = await self.text.content_directions(request)
        # Ids derived from the job: a retried step returns the same ids it may already have saved.
        directions = [
            {"id": derived_id("cdir", input.job_id, i), **d.model_dump(mode="json")}
            for i, d in enumerate(drafted.directions)
        ]
        async with transaction(self.session_factory) as session:
            job = await JobRepository(session).get_any(input.job_id)
            if input.save and job is not None and job.status != "completed":
                profile = await ProfileRepository(session).get(input.account_id, input.profile_id)
                if profile is not None:
                    profile.content_directions = [*(profile.content_directions or []), *directions]
                    await ProfileRepository(session).save(profile)
            await UsageRepository(session).charge(
                input.account_id,
                f"{input.job_id}:directions",
                BillableAction.CONTENT_DIRECTION_DRAFT,
                subject_id=input.profile_id,
            )
        return camelize({"directions": directions, "saved": input.save})

    async def _content(self, session: AsyncSession, account_id: str, content_id: str) -> ContentItem:
        item = await ContentRepository(session).get_for_update(content_id)
        if item is None or item.account_id != account_id:
            raise gone(f"content {content_id}")
        return item
