"""Jobs on one content item: regenerate it (begin, complete, or put the previous version back) and
fine-tune its caption."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity

from activities.context import caption_voice, load_context
from activities.errors import gone, provider_errors, refused_transition
from activities.jobs import result_row
from activities.planning import item_plan, plan_scene
from contracts.cleanup import content_media_namespace
from contracts.generation import GenerationOptions, ItemRef
from contracts.jobs import (
    CaptionTuned,
    FineTuneCaptionInput,
    RegenerateInput,
    RegenerationAborted,
    RegenerationDone,
    RegenerationPlan,
    RegenerationResult,
)
from domain.content import ContentAction, ContentStatus, check_transition
from domain.content_history import plan_of, pop_version, push_version
from domain.jobs import JobStatus
from domain.pricing import BillableAction
from domain.seeds import derived_seed
from providers.text.base import CaptionRequest, TextProvider
from store.db import transaction
from store.models import ContentItem
from store.repositories.content import ContentRepository
from store.repositories.jobs import JobRepository
from store.repositories.usage import UsageRepository
from store.types import utcnow


class ContentActivities:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession], text: TextProvider) -> None:
        self.session_factory = session_factory
        self.text = text

    @activity.defn
    async def begin_regeneration(self, input: RegenerateInput) -> RegenerationPlan:
        """Keep the current version in the history, mark the item generating, plan its new version."""
        async with transaction(self.session_factory) as session:
            await JobRepository(session).mark_running(input.job_id)
            item = await _content(session, input.account_id, input.content_id)
            job = await JobRepository(session).get_any(input.job_id)
            progress = (job.progress or {}) if job is not None else {}
            started = progress.get("revision")
            if started is not None and item.status == ContentStatus.GENERATING:
                previous_status = progress.get("previous_status", progress.get("previousStatus"))
                revision, previous = int(started), ContentStatus(str(previous_status))
            else:
                with refused_transition():
                    check_transition(ContentAction.REGENERATE, item.status)
                previous = ContentStatus(item.status)
                push_version(item, utcnow())
                item.revision += 1
                item.status = ContentStatus.GENERATING
                revision = item.revision
                # Remember the step on the job, so a retry after a crash continues instead of pushing twice.
                await JobRepository(session).mark_running(
                    input.job_id, {"revision": revision, "previous_status": previous}
                )
            context = await load_context(session, input.account_id, item.influencer_id or "", item.profile_id)
        seed = derived_seed(item.id, revision)
        planned = plan_of(item)
        options = GenerationOptions(
            mood=planned.mood,
            setting=planned.setting,
            time_of_day=planned.time_of_day,
            content_direction_id=planned.content_direction_id,
            aesthetic_grade=planned.aesthetic_grade,
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
        plan = item_plan(
            ref,
            result_id=item.id,
            scene=scene,
            seed=seed,
            media_namespace=content_media_namespace(input.account_id, item.id),
        )
        plan = plan.model_copy(update={"voice": caption_voice(context, plan.direction_id)})
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
                item.plan = (
                    plan_of(item)
                    .model_copy(
                        update={
                            "scene": done.plan.scene_description,
                            "wardrobe": done.plan.wardrobe,
                            "props": done.plan.props,
                            "mood": done.plan.mood,
                            "setting": done.plan.setting,
                        }
                    )
                    .stored()
                )
                item.status = ContentStatus.PENDING_REVIEW
                await ContentRepository(session).save(item)
            result = RegenerationResult(content_id=done.content_id, revision=item.revision)
            await JobRepository(session).finish(done.job_id, JobStatus.COMPLETED, result_row(result), None)

    @activity.defn
    async def abort_regeneration(self, input: RegenerationAborted) -> None:
        """Put the previous version back, so a failed regenerate loses nothing."""
        async with transaction(self.session_factory) as session:
            item = await ContentRepository(session).get_for_update(input.content_id)
            if item is not None and item.status == ContentStatus.GENERATING and item.revision == input.revision:
                last = pop_version(item)
                if last is not None:
                    item.caption, item.hashtags = last.caption, list(last.hashtags)
                    item.media_key, item.prompt, item.seed = last.media_key, last.prompt, last.seed
                item.revision -= 1
                item.status = input.previous_status
                item.error = input.error[:2000]
                await ContentRepository(session).save(item)
            await JobRepository(session).finish(input.job_id, JobStatus.FAILED, None, input.error)

    @activity.defn
    async def fine_tune_caption(self, input: FineTuneCaptionInput) -> CaptionTuned:
        async with transaction(self.session_factory) as session:
            await JobRepository(session).mark_running(input.job_id)
            item = await _content(session, input.account_id, input.content_id)
            context = await load_context(session, input.account_id, item.influencer_id or "", item.profile_id)
        plan = plan_of(item)
        request = CaptionRequest(
            influencer_name=context.character.name,
            personality=context.character.personality,
            bio=context.influencer.bio,
            mood=plan.mood,
            setting=plan.setting,
            time_of_day=plan.time_of_day,
            scene_description=plan.scene,
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
            if job is not None and job.status != JobStatus.COMPLETED:
                push_version(item, utcnow())
                item.caption, item.hashtags = caption.caption, list(caption.hashtags)
                await ContentRepository(session).save(item)
                await UsageRepository(session).charge(
                    input.account_id, f"{input.job_id}:caption", BillableAction.CAPTION_GENERATION, subject_id=item.id
                )
        return CaptionTuned(content_id=input.content_id, caption=caption.caption, hashtags=list(caption.hashtags))


async def _content(session: AsyncSession, account_id: str, content_id: str) -> ContentItem:
    item = await ContentRepository(session).get_for_update(content_id)
    if item is None or item.account_id != account_id:
        raise gone(f"content {content_id}")
    return item
