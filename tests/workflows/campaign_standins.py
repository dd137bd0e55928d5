"""Stand-ins for the campaign run's neighbours on the time-skipping server, which cannot run the real
generation or reach a platform: the activity of the stand-in batch workflow, which writes real content rows,
and publishing activities (same names) that record, in workflow time, when and where each post was made and
settle the rows as the real ones do. The campaign activities themselves are the real ones, on a real
database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity

from contracts.generation import BatchInput
from contracts.publishing import PublishResult, SettleInput, TargetFailure, TargetRef
from core.ids import new_id
from domain.batches import BatchItemStatus
from domain.content import ContentStatus
from domain.publishing import PublicationStatus
from providers.social.base import PublishedPost
from store.db import transaction
from store.models import ContentItem
from store.repositories.batches import BatchRepository
from store.repositories.content import ContentRepository
from store.repositories.publications import PublicationRepository


@dataclass(frozen=True)
class Post:
    at: datetime
    social_account_id: str
    content_id: str


@dataclass
class StandIns:
    sessions: async_sessionmaker[AsyncSession]
    posts: list[Post] = field(default_factory=list)

    def activities(self) -> list[Callable[..., Any]]:
        return [
            self.make_campaign_items,
            self.create_post,
            self.await_published,
            self.fail_target,
            self.cancel_targets,
            self.settle_content,
        ]

    @activity.defn(name="make_campaign_items")
    async def make_campaign_items(self, input: BatchInput) -> int:
        async with transaction(self.sessions) as session:
            repo = BatchRepository(session)
            for position in range(input.count):
                content_id = new_id("cnt")
                session.add(
                    ContentItem(
                        id=content_id,
                        account_id=input.account_id,
                        profile_id=input.profile_id,
                        influencer_id=input.influencer_id,
                        batch_id=input.batch_id,
                        status=ContentStatus.PENDING_REVIEW,
                        caption=f"{input.options.mood or 'plain'} post {position}",
                    )
                )
                await session.flush()
                await repo.set_item(input.batch_id, position, status=BatchItemStatus.RUNNING)
                await repo.set_item(
                    input.batch_id, position, status=BatchItemStatus.COMPLETED, result_id=content_id
                )
        return input.count

    @activity.defn(name="create_post")
    async def create_post(self, target: TargetRef) -> PublishedPost:
        async with transaction(self.sessions) as session:
            publication = await PublicationRepository(session).get(target.publication_id)
            assert publication is not None
            publication.status = PublicationStatus.PUBLISHING
            account = publication.social_account_id
        self.posts.append(Post(activity.info().current_attempt_scheduled_time, account, target.content_id))
        tracking = f"post-{target.publication_id}"
        return PublishedPost(tracking_id=tracking, status="published", platform_post_id=tracking, url="https://s/p")

    @activity.defn(name="await_published")
    async def await_published(self, target: TargetRef) -> PublishedPost:
        async with transaction(self.sessions) as session:
            publication = await PublicationRepository(session).get(target.publication_id)
            assert publication is not None
            publication.status = PublicationStatus.PUBLISHED
            publication.published_at = activity.info().current_attempt_scheduled_time
        tracking = f"post-{target.publication_id}"
        return PublishedPost(tracking_id=tracking, status="published", platform_post_id=tracking, url="https://s/p")

    @activity.defn(name="fail_target")
    async def fail_target(self, failure: TargetFailure) -> None:
        raise AssertionError(f"nothing should fail here: {failure}")

    @activity.defn(name="cancel_targets")
    async def cancel_targets(self, input: SettleInput) -> None:
        raise AssertionError(f"nothing is called off here: {input}")

    @activity.defn(name="settle_content")
    async def settle_content(self, input: SettleInput) -> PublishResult:
        async with transaction(self.sessions) as session:
            item = await ContentRepository(session).get_any(input.content_id)
            assert item is not None
            item.status = ContentStatus.PUBLISHED
        return PublishResult(
            content_id=input.content_id, status=ContentStatus.PUBLISHED, published=1, failed=0, cancelled=0
        )
