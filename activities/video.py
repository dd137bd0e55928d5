"""Video steps: begin a job or a comparison, render one video (start, poll, download, store, charge), record
it on the item or on a variant, and settle variants and comparisons.

A render is the one step that can take minutes, so it heartbeats with its render id as the heartbeat
details. When a worker dies mid-render, the retry reads that id back from ``activity.info()`` and resumes
polling the same render instead of starting (and paying for) another one; without an id (the worker died
before the provider answered) it starts again with the same derived key, which providers treat as the same
render. Stored files are content-addressed and the charge is keyed by the render key, so a retry neither
stores a second file nor charges twice."""

from __future__ import annotations

import asyncio
from pathlib import PurePosixPath

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.errors import SETTLED, as_application_error, gone, provider_errors, refused_transition
from activities.heartbeat import heartbeat_while
from contracts.cleanup import content_media_namespace
from contracts.video import (
    ComparisonDone,
    ComparisonPlan,
    RecordVideoInput,
    RenderVideoInput,
    VariantFailure,
    VideoComparisonInput,
    VideoTarget,
    render_key,
    video_charge_key,
)
from core.errors import PermanentProviderError
from domain.content import ContentAction, check_transition
from domain.pricing import BillableAction
from domain.video import ComparisonStatus, VariantStatus, VideoAsset, comparison_outcome
from providers.storage.base import MediaStorage
from providers.video.base import RenderState, VideoProvider, VideoRequest
from store.db import transaction
from store.models import ContentItem
from store.repositories.content import ContentRepository
from store.repositories.jobs import JobRepository
from store.repositories.usage import UsageRepository
from store.repositories.video import VideoComparisonRepository

_IMAGE_TYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "webp": "image/webp"}


def video_namespace(account_id: str, content_id: str) -> str:
    """Under the item's namespace, so deleting the item (or its influencer) deletes its videos too."""
    return content_media_namespace(account_id, content_id) + "/video"


def _image_type(media_key: str) -> str:
    # ``media_type`` says what the item presents (``video`` once it has one); the image's own type is in the
    # extension of its content-addressed key.
    return _IMAGE_TYPES.get(PurePosixPath(media_key).suffix.lstrip(".").lower(), "image/png")


def _resumed_render_id() -> str | None:
    """The render id an earlier attempt of this step heartbeated, if it got that far."""
    details = activity.info().heartbeat_details
    if details and isinstance(details[0], str) and details[0]:
        return details[0]
    return None


class VideoActivities:
    def __init__(
        self, session_factory: async_sessionmaker[AsyncSession], video: VideoProvider, storage: MediaStorage
    ) -> None:
        self.session_factory = session_factory
        self.video = video
        self.storage = storage

    @activity.defn
    async def begin_video(self, input: RenderVideoInput) -> VideoTarget:
        async with transaction(self.session_factory) as session:
            await JobRepository(session).mark_running(input.job_id)
            item = await _owned_item(session, input.account_id, input.content_id)
            with refused_transition():
                check_transition(ContentAction.VIDEO, item.status)
            return VideoTarget(
                account_id=input.account_id,
                content_id=input.content_id,
                revision=item.revision,
                key=render_key(input.content_id, item.revision, input.job_id),
                params=input.params,
                job_id=input.job_id,
                poll_seconds=input.poll_seconds,
            )

    @activity.defn
    async def render_video(self, target: VideoTarget) -> VideoAsset:
        async with transaction(self.session_factory) as session:
            item = await _owned_item(session, target.account_id, target.content_id)
            if target.variant_id is not None:
                await _start_variant(VideoComparisonRepository(session), target.variant_id)
            if not item.media_key:
                raise as_application_error(PermanentProviderError(f"content {item.id} has no image to animate"))
            image_key, prompt, seed, caption = item.media_key, item.prompt, item.seed, item.caption
        image = await heartbeat_while(self.storage.get(image_key))
        params = target.params
        request = VideoRequest(
            key=target.key,
            image=image,
            image_content_type=_image_type(image_key),
            prompt=prompt,
            duration_seconds=params.duration_seconds,
            aspect_ratio=params.aspect_ratio,
            motion=params.motion,
            pace=params.pace,
            hook_text=params.hook_text,
            caption_text=(caption[:2200] or None) if params.caption_overlay else None,
            seed=seed,
        )
        with provider_errors():
            render_id = await self._render(request, target.poll_seconds)
            rendered = await heartbeat_while(self.video.download(render_id), details=(render_id,))
        namespace = video_namespace(target.account_id, target.content_id)
        media_key = await heartbeat_while(self.storage.put(namespace, rendered.data, rendered.content_type))
        poster_key = await heartbeat_while(self.storage.put(namespace, rendered.poster, "image/jpeg"))
        async with transaction(self.session_factory) as session:
            await UsageRepository(session).charge(
                target.account_id,
                video_charge_key(target.key),
                BillableAction.VIDEO_GENERATION,
                units=params.duration_seconds,
                subject_id=target.variant_id or target.content_id,
            )
        activity.logger.info("video.rendered key=%s render_id=%s bytes=%d", target.key, render_id, len(rendered.data))
        return VideoAsset(
            media_key=media_key,
            poster_key=poster_key,
            width=rendered.width,
            height=rendered.height,
            duration_seconds=rendered.duration_seconds,
            size_bytes=len(rendered.data),
            codec=rendered.codec,
            content_type=rendered.content_type,
        )

    async def _render(self, request: VideoRequest, poll_seconds: float) -> str:
        """The id of a finished render of ``request``: the one an earlier attempt started, when it is still
        known to the provider, else a new start under the same key."""
        render_id = _resumed_render_id()
        if render_id is not None:
            status = await heartbeat_while(self.video.status(render_id), details=(render_id,))
            if status.state == RenderState.FAILED:
                # Failed, or lost with the worker that ran it: start the same key again, once.
                activity.logger.info("video.render_restarted render_id=%s reason=%s", render_id, status.error)
                render_id = None
        if render_id is None:
            render_id = await heartbeat_while(self.video.start(request))
        while True:
            activity.heartbeat(render_id)
            status = await heartbeat_while(self.video.status(render_id), details=(render_id,))
            if status.state == RenderState.SUCCEEDED:
                return render_id
            if status.state == RenderState.FAILED:
                raise PermanentProviderError(f"the video render failed: {status.error or 'no reason given'}")
            await heartbeat_while(asyncio.sleep(poll_seconds), details=(render_id,))

    @activity.defn
    async def record_video(self, input: RecordVideoInput) -> None:
        """The video becomes the item's (a job) or the variant's (a comparison). When the item went away
        meanwhile, its files go too."""
        target, video = input.target, input.video
        asset = video.stored()
        async with transaction(self.session_factory) as session:
            item = await ContentRepository(session).get_for_update(target.content_id)
            if item is None or item.account_id != target.account_id:
                missing = True
            else:
                missing = False
                if target.variant_id is not None:
                    repo = VideoComparisonRepository(session)
                    variant = await repo.variant(target.variant_id)
                    if variant is not None:
                        await repo.set_variant(variant, VariantStatus.COMPLETED, video=asset)
                else:
                    await ContentRepository(session).present_video(item, asset)
        if missing:
            await self.storage.delete(video.media_key)
            await self.storage.delete(video.poster_key)
            raise gone(f"content {target.content_id}")

    @activity.defn
    async def begin_comparison(self, input: VideoComparisonInput) -> ComparisonPlan:
        async with transaction(self.session_factory) as session:
            repo = VideoComparisonRepository(session)
            comparison = await repo.get_any(input.comparison_id)
            if comparison is None:
                raise gone(f"video comparison {input.comparison_id}")
            item = await _owned_item(session, input.account_id, input.content_id)
            if comparison.status == ComparisonStatus.QUEUED:
                await repo.set_status(comparison, ComparisonStatus.RUNNING)
            return ComparisonPlan(
                targets=[
                    VideoTarget(
                        account_id=input.account_id,
                        content_id=input.content_id,
                        revision=item.revision,
                        key=render_key(input.content_id, item.revision, variant.id),
                        params=variant.params,
                        comparison_id=comparison.id,
                        variant_id=variant.id,
                        poll_seconds=input.poll_seconds,
                    )
                    for variant in comparison.variants
                ]
            )

    @activity.defn
    async def fail_variant(self, failure: VariantFailure) -> None:
        async with transaction(self.session_factory) as session:
            repo = VideoComparisonRepository(session)
            variant = await repo.variant(failure.variant_id)
            if variant is not None:
                await repo.set_variant(variant, VariantStatus.FAILED, error_code=failure.code, error=failure.error)

    @activity.defn
    async def finish_comparison(self, comparison_id: str) -> ComparisonDone:
        async with transaction(self.session_factory) as session:
            repo = VideoComparisonRepository(session)
            comparison = await repo.get_any(comparison_id)
            if comparison is None:
                raise gone(f"video comparison {comparison_id}")
            counts = await repo.count_variants(comparison_id)
            completed = counts.get(VariantStatus.COMPLETED.value, 0)
            failed = sum(n for status, n in counts.items() if status != VariantStatus.COMPLETED.value)
            outcome = comparison_outcome(completed=completed, failed=failed)
            if comparison.status == ComparisonStatus.QUEUED:
                await repo.set_status(comparison, ComparisonStatus.RUNNING)
            if comparison.status == ComparisonStatus.RUNNING:
                await repo.set_status(comparison, outcome)
            return ComparisonDone(
                comparison_id=comparison_id, status=ComparisonStatus(comparison.status), completed=completed,
                failed=failed,
            )


async def _owned_item(session: AsyncSession, account_id: str, content_id: str) -> ContentItem:
    item = await ContentRepository(session).get_any(content_id)
    if item is None or item.account_id != account_id:
        raise gone(f"content {content_id}")
    return item


async def _start_variant(repo: VideoComparisonRepository, variant_id: str) -> None:
    variant = await repo.variant(variant_id)
    if variant is None:
        raise gone(f"video variant {variant_id}")
    if not await repo.set_variant(variant, VariantStatus.RENDERING):
        raise ApplicationError(f"video variant {variant_id} was already settled", type=SETTLED, non_retryable=True)


