"""Publishing steps. The one step a platform does not make idempotent, creating the post, is guarded:

1. a publication that already has a post id is done (an earlier attempt got that far);
2. before calling ``create_post`` we commit ``create_attempted_at``;
3. an attempt that finds ``create_attempted_at`` set first asks the platform (``find_post``) whether the
   earlier attempt's post exists, and adopts it instead of creating another.

Platforms that take an idempotency key (the sandbox) also get one derived from content, account and round,
so even a post ``find_post`` cannot see is not made twice there."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity

from activities import metrics
from activities.errors import as_application_error, gone, platform_refused, provider_errors, refused_transition
from activities.social import connected_credentials
from activities.webhook_dispatch import dispatch_recorded
from activities.webhook_events import publication_data
from contracts.publishing import PublishResult, SettleInput, TargetFailure, TargetRef, UnpublishInput, UnpublishOutcome
from core.crypto import TokenCipher
from core.errors import ProviderError
from domain.publishing import (
    MediaStatus,
    PostStatus,
    PublicationStatus,
    can_publication_transition,
    check_publication_transition,
    content_status_after,
)
from domain.video import VideoAsset
from domain.webhooks import EventType
from providers.social.base import AccountCredentials, MediaInput, PostRequest, PublishedPost, SocialPlatform
from providers.storage.base import MediaStorage
from store.db import transaction
from store.models import Publication
from store.repositories.content import ContentRepository
from store.repositories.publications import PublicationRepository
from store.repositories.video import VideoComparisonRepository
from store.repositories.webhooks import record_event
from store.types import utcnow

# Platforms and we disagree about clocks; look this far before our own attempt for the earlier post.
CLOCK_SKEW = timedelta(seconds=60)


class PublishingActivities:
    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        platforms: dict[str, SocialPlatform],
        storage: MediaStorage,
        cipher: TokenCipher,
    ) -> None:
        self.session_factory = session_factory
        self.platforms = platforms
        self.storage = storage
        self.cipher = cipher

    @activity.defn
    async def create_post(self, target: TargetRef) -> PublishedPost:
        async with transaction(self.session_factory) as session:
            publication = await self._publication(session, target)
            if publication.tracking_id:
                return _recorded(publication)
            with refused_transition():
                check_publication_transition(publication.status, PublicationStatus.PUBLISHING)
            publication.status = PublicationStatus.PUBLISHING
            publication.attempts += 1
            attempted_at = publication.create_attempted_at
        platform, credentials = await self._connect(target, publication)
        request = await self._request(target, publication)
        with provider_errors():
            if attempted_at is not None:
                found = await platform.find_post(credentials, request, attempted_at - CLOCK_SKEW)
                if found is not None:
                    activity.logger.info("publish.reconciled publication=%s post=%s", publication.id, found.tracking_id)
                    return await self._record(target, found)
            uploaded = [await platform.upload_media(credentials, request, media) for media in request.media]
            for index, media in enumerate(uploaded):
                while media.status == MediaStatus.PROCESSING:
                    activity.heartbeat(f"media {index} processing")
                    await asyncio.sleep(media.check_after or 2.0)
                    media = await platform.poll_media(credentials, media)
                uploaded[index] = media
            async with transaction(self.session_factory) as session:
                row = await self._publication(session, target)
                row.create_attempted_at = utcnow()
            post = await platform.create_post(credentials, request, uploaded)
        return await self._record(target, post)

    @activity.defn
    async def await_published(self, target: TargetRef) -> PublishedPost:
        """Poll until the platform has processed the post, heartbeating so a dead worker is noticed."""
        async with transaction(self.session_factory) as session:
            publication = await self._publication(session, target)
        post = _recorded(publication)
        platform, credentials = await self._connect(target, publication)
        with provider_errors():
            while post.status == PostStatus.PROCESSING:
                activity.heartbeat(post.tracking_id)
                await asyncio.sleep(post.check_after or 2.0)
                post = await platform.poll_post(credentials, post)
        if post.status == PostStatus.FAILED:
            raise platform_refused(post.error)
        async with transaction(self.session_factory) as session:
            publication = await self._publication(session, target)
            with refused_transition():
                check_publication_transition(publication.status, PublicationStatus.PUBLISHED)
            # A retry after this commit finds the target published already and counts nothing.
            newly_published = publication.status != PublicationStatus.PUBLISHED
            publication.status = PublicationStatus.PUBLISHED
            publication.platform_post_id = post.platform_post_id or publication.platform_post_id
            publication.url = post.url or publication.url
            publication.published_at = publication.published_at or utcnow()
            publication.error_code = publication.error_message = None
            platform_name = publication.platform
            event = await record_event(
                session, target.account_id, EventType.CONTENT_PUBLISHED, publication_data(publication),
                key=publication.id,
            )  # fmt: skip
        await dispatch_recorded(self.session_factory, [event.id])
        if newly_published:
            metrics.post_published(platform_name)
        return post

    @activity.defn
    async def fail_target(self, failure: TargetFailure) -> None:
        events: list[str] = []
        failed_platforms: list[str] = []
        async with transaction(self.session_factory) as session:
            publication = await PublicationRepository(session).get(failure.publication_id)
            # A target that got published (or was called off) meanwhile keeps that status.
            if publication is not None and can_publication_transition(publication.status, PublicationStatus.FAILED):
                # Only a move into failed is an event (a retried call finds it failed already). No key: after
                # POST /publish/retry the same target may fail again, and that is a new event.
                moved = publication.status != PublicationStatus.FAILED
                publication.status = PublicationStatus.FAILED
                publication.error_code = failure.code
                publication.error_message = failure.message[:2000]
                if moved:
                    data = publication_data(publication)
                    event = await record_event(session, publication.account_id, EventType.PUBLISH_FAILED, data)
                    events.append(event.id)
                    failed_platforms.append(publication.platform)
        await dispatch_recorded(self.session_factory, events)
        for platform_name in failed_platforms:
            metrics.post_failed(platform_name)

    @activity.defn
    async def cancel_targets(self, input: SettleInput) -> None:
        """A scheduled publish was called off before it fired."""
        async with transaction(self.session_factory) as session:
            for publication in await PublicationRepository(session).for_round(input.content_id, input.round):
                if publication.status == PublicationStatus.SCHEDULED:
                    publication.status = PublicationStatus.CANCELLED

    @activity.defn
    async def settle_content(self, input: SettleInput) -> PublishResult:
        """The content item's status follows its targets in the latest round."""
        async with transaction(self.session_factory) as session:
            targets = await PublicationRepository(session).for_round(input.content_id, input.round)
            statuses = [t.status for t in targets]
            item = await ContentRepository(session).get_for_update(input.content_id)
            status = content_status_after(statuses)
            if item is not None:
                item.status = status
                await ContentRepository(session).save(item)
        return PublishResult(
            content_id=input.content_id,
            status=status,
            published=statuses.count(PublicationStatus.PUBLISHED),
            failed=statuses.count(PublicationStatus.FAILED),
            cancelled=statuses.count(PublicationStatus.CANCELLED),
        )

    @activity.defn
    async def delete_post(self, input: UnpublishInput) -> list[UnpublishOutcome]:
        outcomes = []
        for publication_id in input.publication_ids:
            target = TargetRef(account_id=input.account_id, content_id=input.content_id, publication_id=publication_id)
            async with transaction(self.session_factory) as session:
                publication = await self._publication(session, target)
            if publication.status != PublicationStatus.PUBLISHED or not publication.platform_post_id:
                outcomes.append(UnpublishOutcome(publication_id=publication_id, deleted=False, error="not published"))
                continue
            platform, credentials = await self._connect(target, publication)
            try:
                await platform.delete_post(credentials, publication.platform_post_id)
            except ProviderError as exc:
                if exc.retryable:
                    raise as_application_error(exc) from exc
                # e.g. TikTok, which has no delete: report it on the target, go on with the others.
                outcomes.append(UnpublishOutcome(publication_id=publication_id, deleted=False, error=exc.message))
                await self._note(target, exc.type_name, exc.message)
                continue
            async with transaction(self.session_factory) as session:
                row = await self._publication(session, target)
                row.status = PublicationStatus.UNPUBLISHED
                event = await record_event(
                    session, input.account_id, EventType.CONTENT_UNPUBLISHED, publication_data(row), key=row.id
                )
            await dispatch_recorded(self.session_factory, [event.id])
            outcomes.append(UnpublishOutcome(publication_id=publication_id, deleted=True))
        return outcomes

    async def _note(self, target: TargetRef, code: str, message: str) -> None:
        async with transaction(self.session_factory) as session:
            publication = await self._publication(session, target)
            publication.error_code, publication.error_message = code, message[:2000]

    async def _publication(self, session: AsyncSession, target: TargetRef) -> Publication:
        publication = await PublicationRepository(session).get_for_update(target.publication_id)
        if publication is None or publication.account_id != target.account_id:
            raise gone(f"publication {target.publication_id}")
        return publication

    async def _connect(self, target: TargetRef, publication: Publication) -> tuple[SocialPlatform, AccountCredentials]:
        with provider_errors():
            return await connected_credentials(
                self.session_factory, self.cipher, self.platforms, target.account_id, publication.social_account_id
            )

    async def _request(self, target: TargetRef, publication: Publication) -> PostRequest:
        async with transaction(self.session_factory) as session:
            item = await ContentRepository(session).get_any(target.content_id)
            if item is None:
                raise gone(f"content {target.content_id}")
        media = []
        variant = await self._variant_video(publication)
        if variant is not None:
            # An A/B experiment publishes one of the item's video variants, not the item's own video.
            media.append(await self._media(variant.media_key, variant.content_type, variant.duration_seconds))
        elif item.video:
            # An item with a video publishes the video (its poster stays ours); the image is only its still.
            video = VideoAsset.model_validate(item.video)
            media.append(await self._media(video.media_key, video.content_type, video.duration_seconds))
        elif item.media_key:
            media.append(await self._media(item.media_key, item.media_type, None))
        hashtags = " ".join(f"#{tag.lstrip('#')}" for tag in item.hashtags or [])
        text = publication.caption or " ".join(part for part in (item.caption, hashtags) if part)
        return PostRequest(text=text, media=media, idempotency_key=publication.idempotency_key)

    async def _variant_video(self, publication: Publication) -> VideoAsset | None:
        if publication.video_variant_id is None:
            return None
        async with transaction(self.session_factory) as session:
            variant = await VideoComparisonRepository(session).variant(publication.video_variant_id)
        if variant is None or not variant.video:
            raise gone(f"video variant {publication.video_variant_id}")
        return VideoAsset.model_validate(variant.video)

    async def _media(self, key: str, content_type: str, duration_seconds: float | None) -> MediaInput:
        """The public URL (for platforms that pull) and the bytes (for those we push to, in chunks)."""
        data = await self.storage.get(key)
        return MediaInput(
            url=self.storage.url(key),
            content_type=content_type,
            data=data,
            size=len(data),
            duration_seconds=duration_seconds,
        )

    async def _record(self, target: TargetRef, post: PublishedPost) -> PublishedPost:
        async with transaction(self.session_factory) as session:
            publication = await self._publication(session, target)
            publication.tracking_id = post.tracking_id
            publication.platform_post_id = post.platform_post_id
            publication.url = post.url
        return post


def _recorded(publication: Publication) -> PublishedPost:
    return PublishedPost(
        tracking_id=publication.tracking_id or "",
        status=PostStatus.PUBLISHED if publication.status == PublicationStatus.PUBLISHED else PostStatus.PROCESSING,
        platform_post_id=publication.platform_post_id,
        url=publication.url,
        check_after=0.0,
    )
