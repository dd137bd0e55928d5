"""Analytics writes and the sync's reading list: which published posts of a connected account a sync run
asks about, and the run's results (a snapshot row per post, the latest reading per post, the account's
followers and outcome). Every write is keyed by the run's instant, so a retried step writes nothing twice."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from domain.accounts import SocialAccountStatus
from domain.analytics import COUNTERS
from domain.publishing import PublicationStatus
from store.models import AccountMetricSnapshot, ContentItem, MetricSnapshot, PostMetrics, Publication, SocialAccount
from store.repositories.base import Repository


@dataclass(frozen=True)
class SyncedPost:
    """One post a run asks about, with what the read model files it under."""

    publication_id: str
    platform_post_id: str
    content_id: str
    profile_id: str | None
    influencer_id: str | None
    published_at: datetime


@dataclass(frozen=True)
class Reading:
    """One post's counters at the run's instant (None where the platform does not report a counter)."""

    post: SyncedPost
    counters: dict[str, int | None]


class AnalyticsRepository(Repository):
    async def connected_accounts(self) -> Sequence[tuple[str, str, str | None]]:
        """(owner account id, connected account id, profile id) of every account that keeps a Schedule:
        active ones, and ones needing reauth (their runs are recorded as skipped, which the API shows)."""
        query = (
            select(SocialAccount.account_id, SocialAccount.id, SocialAccount.profile_id)
            .where(SocialAccount.status.in_([SocialAccountStatus.ACTIVE, SocialAccountStatus.NEEDS_REAUTH]))
            .order_by(SocialAccount.id)
        )
        return [(row[0], row[1], row[2]) for row in (await self.session.execute(query)).all()]

    async def published_posts(
        self, social_account_id: str, since: datetime, after: str | None, limit: int
    ) -> Sequence[SyncedPost]:
        """A page of the account's live posts published since ``since``, by publication id (a stable key
        between pages), leaving out posts already found gone from the platform."""
        gone = select(PostMetrics.platform_post_id).where(
            PostMetrics.social_account_id == social_account_id, PostMetrics.gone_at.is_not(None)
        )
        query = (
            select(Publication, ContentItem.profile_id, ContentItem.influencer_id)
            .join(ContentItem, ContentItem.id == Publication.content_id)
            .where(
                Publication.social_account_id == social_account_id,
                Publication.status == PublicationStatus.PUBLISHED,
                Publication.platform_post_id.is_not(None),
                Publication.published_at >= since,
                Publication.platform_post_id.not_in(gone),
            )
            .order_by(Publication.id)
            .limit(limit)
        )
        if after is not None:
            query = query.where(Publication.id > after)
        rows = (await self.session.execute(query)).all()
        return [
            SyncedPost(
                publication_id=publication.id,
                platform_post_id=str(publication.platform_post_id),
                content_id=publication.content_id,
                profile_id=profile_id,
                influencer_id=influencer_id,
                published_at=publication.published_at or publication.created_at,
            )
            for publication, profile_id, influencer_id in rows
        ]

    async def record_readings(
        self, account_id: str, social_account_id: str, platform: str, at: datetime, readings: Sequence[Reading]
    ) -> int:
        """Store each reading as the run's snapshot (once) and as the post's latest (if newer); returns how
        many snapshots were new."""
        added = 0
        for reading in readings:
            post = reading.post
            existing = await self.session.scalar(
                select(MetricSnapshot.id).where(
                    MetricSnapshot.social_account_id == social_account_id,
                    MetricSnapshot.platform_post_id == post.platform_post_id,
                    MetricSnapshot.collected_at == at,
                )
            )
            if existing is None:
                self.session.add(
                    MetricSnapshot(
                        account_id=account_id,
                        social_account_id=social_account_id,
                        platform=platform,
                        platform_post_id=post.platform_post_id,
                        content_id=post.content_id,
                        collected_at=at,
                        **reading.counters,
                    )
                )
                added += 1
            latest = await self._latest(social_account_id, post.platform_post_id)
            if latest is None:
                latest = PostMetrics(
                    account_id=account_id,
                    social_account_id=social_account_id,
                    platform=platform,
                    platform_post_id=post.platform_post_id,
                    collected_at=at,
                    published_at=post.published_at,
                )
                self.session.add(latest)
            elif latest.collected_at > at:
                continue  # a later run already recorded a newer reading
            latest.publication_id = post.publication_id
            latest.content_id = post.content_id
            latest.profile_id = post.profile_id
            latest.influencer_id = post.influencer_id
            latest.published_at = post.published_at
            latest.collected_at = at
            for name in COUNTERS:
                setattr(latest, name, reading.counters.get(name))
        await self.session.flush()
        return added

    async def mark_gone(
        self, account_id: str, social_account_id: str, platform: str, post: SyncedPost, at: datetime
    ) -> None:
        """The post is gone from the platform: keep its last reading (or an empty one) and stop asking."""
        latest = await self._latest(social_account_id, post.platform_post_id)
        if latest is None:
            latest = PostMetrics(
                account_id=account_id,
                social_account_id=social_account_id,
                platform=platform,
                platform_post_id=post.platform_post_id,
                publication_id=post.publication_id,
                content_id=post.content_id,
                profile_id=post.profile_id,
                influencer_id=post.influencer_id,
                published_at=post.published_at,
                collected_at=at,
            )
            self.session.add(latest)
        if latest.gone_at is None:
            latest.gone_at = at
        await self.session.flush()

    async def _latest(self, social_account_id: str, platform_post_id: str) -> PostMetrics | None:
        return await self.session.scalar(
            select(PostMetrics).where(
                PostMetrics.social_account_id == social_account_id, PostMetrics.platform_post_id == platform_post_id
            )
        )

    async def record_account_run(self, snapshot: AccountMetricSnapshot) -> AccountMetricSnapshot:
        """The run's account row, once per run instant; a retried step updates the same row."""
        existing = await self.session.scalar(
            select(AccountMetricSnapshot).where(
                AccountMetricSnapshot.social_account_id == snapshot.social_account_id,
                AccountMetricSnapshot.collected_at == snapshot.collected_at,
            )
        )
        if existing is None:
            self.session.add(snapshot)
            await self.session.flush()
            return snapshot
        for name in ("followers", "outcome", "posts_synced", "posts_gone", "profile_id"):
            setattr(existing, name, getattr(snapshot, name))
        await self.session.flush()
        return existing
