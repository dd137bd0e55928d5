"""Per-item generation steps: plan, render and store, write the caption, save the result.

Every step is idempotent. Results get ids derived from batch and position, stored media is
content-addressed, and usage charges are keyed, so a retry after a crash finds what the first attempt
made instead of making it twice."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity

from activities import metrics
from activities.collaboration_context import load_members
from activities.collaboration_planning import cast_line, group_scene_prompt, plan_collaboration
from activities.context import GenerationContext, caption_voice, load_context
from activities.errors import item_settled, item_settled_ref, provider_errors
from activities.group_figures import group_figures
from activities.heartbeat import heartbeating
from activities.planning import item_plan, plan_portrait, plan_scene
from activities.voice_corpus import CorpusGrounding
from contracts.cleanup import content_media_namespace, influencer_media_namespace
from contracts.generation import (
    CaptionVoice,
    GeneratedCaption,
    ItemPlan,
    ItemRef,
    RenderedMedia,
    SaveContentInput,
    SaveItemInput,
)
from domain.batches import BatchItemStatus, BatchKind
from domain.collaborations import with_mentions
from domain.content import ContentStatus
from domain.content_history import PlanSummary
from domain.pricing import BillableAction
from domain.seeds import derived_id, derived_seed
from domain.vocabulary import VIEWS, View
from providers.images.base import ImageProvider, ImageRequest
from providers.storage.base import MediaStorage
from providers.text.base import CaptionRequest, TextProvider
from store.db import transaction
from store.models import ContentItem, Preview, ReferenceImage
from store.repositories.batches import BatchRepository
from store.repositories.content import ContentRepository
from store.repositories.influencers import InfluencerRepository
from store.repositories.jobs import PreviewRepository
from store.repositories.usage import UsageRepository


class GenerationActivities:
    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        images: ImageProvider,
        text: TextProvider,
        storage: MediaStorage,
        grounding: CorpusGrounding | None = None,
    ) -> None:
        self.session_factory = session_factory
        self.images = images
        self.text = text
        self.storage = storage
        # A profile with a written-voice corpus gets captions grounded in its nearest samples.
        self.grounding = grounding

    @activity.defn
    @heartbeating
    async def plan_item(self, item: ItemRef) -> ItemPlan:
        async with transaction(self.session_factory) as session:
            context = await load_context(session, item.account_id, item.influencer_id, item.profile_id)
            if item.batch_id and not await BatchRepository(session).set_item(
                item.batch_id, item.position, status=BatchItemStatus.RUNNING
            ):
                raise item_settled_ref(item.batch_id, item.position)
            members = (
                await load_members(session, item.account_id, item.member_ids, item.profile_id)
                if item.kind == BatchKind.COLLABORATION
                else []
            )
        account, influencer = item.account_id, item.influencer_id
        view: View | None
        if item.kind == BatchKind.COLLABORATION:
            result_id = derived_id("cnt", item.batch_id, item.position)
            seed = derived_seed(item.batch_id, item.position)
            scene, cast = plan_collaboration(members, item.options, item.scene, seed)
            namespace = content_media_namespace(account, result_id)
            plan = item_plan(item, result_id=result_id, scene=scene, seed=seed, media_namespace=namespace)
            return plan.model_copy(update={"cast": cast, **self._caption_plan(context, plan)})
        if item.kind == "content":
            result_id = derived_id("cnt", item.batch_id, item.position)
            seed = derived_seed(item.batch_id, item.position)
            scene = plan_scene(context.character, context.directions, item.options, seed)
            namespace = content_media_namespace(account, result_id)
            plan = item_plan(item, result_id=result_id, scene=scene, seed=seed, media_namespace=namespace)
            return plan.model_copy(update=self._caption_plan(context, plan))
        if item.kind == "references":
            result_id = derived_id("ref", item.batch_id, item.position)
            view = VIEWS[item.position % len(VIEWS)]
            # One seed for all four views: the pack shows one person from four sides.
            seed = context.character.seed
            scene = plan_portrait(context.character, view, item.options.aesthetic_grade)
            namespace = influencer_media_namespace(account, influencer) + "/references"
        else:
            result_id = derived_id("prv", item.batch_id, item.position)
            seed = derived_seed(item.batch_id, item.position)
            view = "front"
            scene = plan_portrait(context.character, view, item.options.aesthetic_grade)
            namespace = influencer_media_namespace(account, influencer) + "/previews"
        return item_plan(item, result_id=result_id, scene=scene, seed=seed, media_namespace=namespace, view=view)

    @activity.defn
    @heartbeating
    async def render_item(self, plan: ItemPlan) -> RenderedMedia:
        request = ImageRequest(
            prompt=group_scene_prompt(plan) if plan.cast else plan.prompt,
            seed=plan.seed,
            view=plan.view,
            wardrobe=[] if plan.cast else plan.wardrobe,
            grade_id=plan.grade_id,
            figures=await group_figures(plan.cast, self.storage),
        )
        with provider_errors():
            image = await self.images.generate(request)
        key = await self.storage.put(plan.media_namespace, image.data, image.content_type)
        async with transaction(self.session_factory) as session:
            settled = plan.item.batch_id is not None and not await BatchRepository(session).set_item(
                plan.item.batch_id, plan.item.position, media_key=key
            )
            if not settled:
                await UsageRepository(session).charge(
                    plan.item.account_id,
                    f"{plan.result_id}:image:{plan.seed}",
                    BillableAction.IMAGE_GENERATION,
                    subject_id=plan.result_id,
                )
        if settled:
            # The batch was cancelled and settled while we drew: keep nothing of this item.
            await self.storage.delete(key)
            raise item_settled(plan)
        return RenderedMedia(media_key=key, content_type=image.content_type, width=image.width, height=image.height)

    @activity.defn
    @heartbeating
    async def write_caption(self, plan: ItemPlan) -> GeneratedCaption:
        voice = plan.voice or await self._caption_voice(plan)
        request = CaptionRequest(
            influencer_name=voice.influencer_name,
            personality=voice.personality,
            bio=voice.bio,
            mood=plan.mood,
            setting=plan.setting,
            time_of_day=plan.time_of_day,
            scene_description=plan.scene_description,
            content_directions=voice.content_directions,
            voice_samples=await self._voice_examples(plan),
            seed=plan.seed,
            featuring=[m.mention for m in plan.cast if m.influencer_id != plan.item.influencer_id],
        )
        with provider_errors():
            caption = await self.text.caption(request)
        if plan.cast:
            # Whatever wrote it, a collaboration's caption names every member.
            named = with_mentions(caption.caption, [m.mention for m in plan.cast])
            caption = caption.model_copy(update={"caption": named})
        async with transaction(self.session_factory) as session:
            await UsageRepository(session).charge(
                plan.item.account_id,
                f"{plan.result_id}:caption:{plan.seed}",
                BillableAction.CAPTION_GENERATION,
                subject_id=plan.result_id,
            )
        return GeneratedCaption(caption=caption.caption, hashtags=list(caption.hashtags))

    def _caption_plan(self, context: GenerationContext, plan: ItemPlan) -> dict[str, object]:
        """What a captioned item's plan adds: the voice, and whether this worker writes captions in process."""
        grounding_in_process = self.grounding is None or self.grounding.embeddings.in_process
        return {
            "voice": caption_voice(context, plan.direction_id),
            "quick_caption": self.text.in_process and grounding_in_process,
        }

    async def _caption_voice(self, plan: ItemPlan) -> CaptionVoice:
        """For a plan without its voice (made before plans carried it): read it now."""
        async with transaction(self.session_factory) as session:
            context = await load_context(session, plan.item.account_id, plan.item.influencer_id, plan.item.profile_id)
        return caption_voice(context, plan.direction_id)

    async def _voice_examples(self, plan: ItemPlan) -> list[str]:
        """The profile's corpus samples nearest this item's scene; none without a profile or a corpus."""
        if self.grounding is None or not plan.item.profile_id:
            return []
        query = " ".join(filter(None, [plan.scene_description, plan.setting, plan.mood]))
        return await self.grounding.examples_for(plan.item.account_id, plan.item.profile_id, query, plan.item.batch_id)

    @activity.defn
    @heartbeating
    async def save_content_item(self, input: SaveContentInput) -> str:
        plan, item = input.plan, input.plan.item
        async with transaction(self.session_factory) as session:
            claim = await self._complete(session, plan)
            content = ContentRepository(session)
            if claim == "claimed" and await content.get_any(plan.result_id) is None:
                await content.add(
                    ContentItem(
                        id=plan.result_id,
                        account_id=item.account_id,
                        profile_id=item.profile_id,
                        influencer_id=item.influencer_id,
                        batch_id=item.batch_id,
                        source="generated",
                        status=ContentStatus.PENDING_REVIEW,
                        caption=input.caption.caption,
                        hashtags=list(input.caption.hashtags),
                        media_key=input.media.media_key,
                        media_type=input.media.content_type,
                        width=input.media.width,
                        height=input.media.height,
                        prompt=plan.prompt,
                        seed=plan.seed,
                        plan=_plan_summary(plan),
                        collaboration_id=item.collaboration_id,
                        member_ids=list(item.member_ids),
                    )
                )
        return await self._settle(plan, input.media.media_key, claim)

    @activity.defn
    @heartbeating
    async def save_reference_image(self, input: SaveItemInput) -> str:
        plan, item = input.plan, input.plan.item
        async with transaction(self.session_factory) as session:
            claim = await self._complete(session, plan)
            repo = InfluencerRepository(session)
            influencer = await repo.get(item.account_id, item.influencer_id)
            if claim == "claimed" and influencer is not None and plan.view is not None:
                already = any(ref.id == plan.result_id for ref in influencer.references)
                if not already:
                    await repo.replace_references(
                        influencer,
                        [
                            ReferenceImage(
                                id=plan.result_id,
                                view=plan.view,
                                media_key=input.media.media_key,
                                content_type=input.media.content_type,
                                source="generated",
                            )
                        ],
                    )
        return await self._settle(plan, input.media.media_key, claim)

    @activity.defn
    @heartbeating
    async def save_preview(self, input: SaveItemInput) -> str:
        plan, item = input.plan, input.plan.item
        async with transaction(self.session_factory) as session:
            claim = await self._complete(session, plan)
            if claim == "claimed":
                await PreviewRepository(session).add_if_missing(
                    Preview(
                        id=plan.result_id,
                        account_id=item.account_id,
                        influencer_id=item.influencer_id,
                        batch_id=item.batch_id,
                        position=item.position,
                        prompt=plan.prompt,
                        seed=plan.seed,
                        aesthetic_grade=plan.grade_id,
                        media_key=input.media.media_key,
                    )
                )
        return await self._settle(plan, input.media.media_key, claim)

    async def _complete(self, session: AsyncSession, plan: ItemPlan) -> str:
        """Mark the item completed in the transaction that saves its result: "claimed" when this attempt
        does it, "done" when an earlier attempt did, "settled" when the batch closed the item meanwhile."""
        batch_id, position = plan.item.batch_id, plan.item.position
        if batch_id is None:
            return "claimed"
        repo = BatchRepository(session)
        done = BatchItemStatus.COMPLETED
        if await repo.set_item(batch_id, position, status=done, result_id=plan.result_id, error=None):
            return "claimed"
        return "done" if await repo.item_status(batch_id, position) == done else "settled"

    async def _settle(self, plan: ItemPlan, media_key: str, claim: str) -> str:
        if claim == "settled":
            await self.storage.delete(media_key)
            raise item_settled(plan)
        if claim == "claimed":
            # Only the attempt that completed the item counts it; a retry finding it done does not.
            metrics.item_generated(self.images.name, plan.item.kind)
        return plan.result_id


def _plan_summary(plan: ItemPlan) -> dict[str, object]:
    """What the review queue shows of how the item was planned, in its stored (snake_case) form."""
    return PlanSummary(
        mood=plan.mood,
        setting=plan.setting,
        time_of_day=plan.time_of_day,
        wardrobe=plan.wardrobe,
        props=plan.props,
        content_direction_id=plan.direction_id,
        content_direction=plan.direction_title,
        aesthetic_grade=plan.grade_id,
        scene=plan.scene_description,
        cast=[cast_line(member) for member in plan.cast],
    ).stored()
