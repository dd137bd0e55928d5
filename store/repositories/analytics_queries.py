"""Analytics reads over the latest reading of each post (``post_metrics``) and the account runs
(``account_metric_snapshots``): totals, rows for a time series, totals per platform, content ranked by a
metric, and follower counts at an instant. Every query is scoped to one tenant and filtered by publish time
through ``ix_post_metrics_account_published``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, select

from domain.analytics import COUNTERS, SyncOutcome
from store.models import AccountMetricSnapshot, ContentItem, PostMetrics, Profile


@dataclass(frozen=True)
class AnalyticsFilter:
    account_id: str
    start: datetime
    end: datetime
    profile_id: str | None = None
    influencer_id: str | None = None
    platform: str | None = None
    social_account_id: str | None = None


@dataclass(frozen=True)
class Totals:
    posts: int
    counters: dict[str, int]
    reach: int


def _reach(model: Any = PostMetrics) -> ColumnElement[int]:
    """Impressions where the platform reports them, else views (``domain.analytics.reach_of``)."""
    impressions = func.coalesce(model.impressions, 0)
    return case((impressions > 0, impressions), else_=func.coalesce(model.views, 0))


def _aggregates() -> list[ColumnElement[Any]]:
    sums: list[ColumnElement[Any]] = [func.count(PostMetrics.id).label("posts")]
    sums += [func.coalesce(func.sum(getattr(PostMetrics, name)), 0).label(name) for name in COUNTERS]
    sums.append(func.coalesce(func.sum(_reach()), 0).label("reach"))
    return sums


def _where(query: Select[Any], f: AnalyticsFilter) -> Select[Any]:
    query = query.where(
        PostMetrics.account_id == f.account_id, PostMetrics.published_at >= f.start, PostMetrics.published_at < f.end
    )
    if f.profile_id:
        query = query.where(PostMetrics.profile_id == f.profile_id)
    if f.influencer_id:
        query = query.where(PostMetrics.influencer_id == f.influencer_id)
    if f.platform:
        query = query.where(PostMetrics.platform == f.platform)
    if f.social_account_id:
        query = query.where(PostMetrics.social_account_id == f.social_account_id)
    return query


def _totals(row: Any) -> Totals:
    return Totals(
        posts=int(row.posts), counters={name: int(getattr(row, name)) for name in COUNTERS}, reach=int(row.reach)
    )


class AnalyticsQueries:
    def __init__(self, session: Any) -> None:
        self.session = session

    async def totals(self, f: AnalyticsFilter) -> Totals:
        row = (await self.session.execute(_where(select(*_aggregates()), f))).one()
        return _totals(row)

    async def by_platform(self, f: AnalyticsFilter) -> dict[str, Totals]:
        query = _where(select(PostMetrics.platform, *_aggregates()), f).group_by(PostMetrics.platform)
        return {row.platform: _totals(row) for row in (await self.session.execute(query)).all()}

    async def post_rows(self, f: AnalyticsFilter) -> Sequence[Any]:
        """(published_at, counters...) of every post in range, for bucketing in the caller's timezone."""
        columns = [PostMetrics.published_at, *(getattr(PostMetrics, name) for name in COUNTERS)]
        return (await self.session.execute(_where(select(*columns), f))).all()

    async def top_content(self, f: AnalyticsFilter, order: str, limit: int) -> list[tuple[str, Totals]]:
        """Content items with their totals over all their posts in range, best first by ``order`` (a counter
        name, or ``engagementRate``); ties by content id so pages are stable."""
        engagements = sum(
            (
                func.coalesce(func.sum(getattr(PostMetrics, name)), 0)
                for name in ("likes", "comments", "shares", "saves")
            ),
        )
        reach = func.coalesce(func.sum(_reach()), 0)
        if order == "engagementRate":
            # Multiplied to compare as numbers on both databases (integer division truncates on both).
            key: ColumnElement[Any] = case((reach > 0, engagements * 1_000_000 / reach), else_=0)
        else:
            key = func.coalesce(func.sum(getattr(PostMetrics, order)), 0)
        query = (
            _where(select(PostMetrics.content_id, *_aggregates()), f)
            .where(PostMetrics.content_id.is_not(None))
            .group_by(PostMetrics.content_id)
            .order_by(key.desc(), PostMetrics.content_id)
            .limit(limit)
        )
        return [(str(row.content_id), _totals(row)) for row in (await self.session.execute(query)).all()]

    async def content_platforms(self, f: AnalyticsFilter, content_ids: Sequence[str]) -> dict[str, dict[str, Totals]]:
        if not content_ids:
            return {}
        query = (
            _where(select(PostMetrics.content_id, PostMetrics.platform, *_aggregates()), f)
            .where(PostMetrics.content_id.in_(content_ids))
            .group_by(PostMetrics.content_id, PostMetrics.platform)
        )
        out: dict[str, dict[str, Totals]] = {}
        for row in (await self.session.execute(query)).all():
            out.setdefault(str(row.content_id), {})[row.platform] = _totals(row)
        return out

    async def content_items(self, account_id: str, content_ids: Sequence[str]) -> dict[str, ContentItem]:
        if not content_ids:
            return {}
        query = select(ContentItem).where(ContentItem.account_id == account_id, ContentItem.id.in_(content_ids))
        return {item.id: item for item in (await self.session.scalars(query)).all()}

    async def followers_at(self, f: AnalyticsFilter, instant: datetime) -> int | None:
        """Sum over the filtered accounts of each one's latest follower count read at or before ``instant``;
        None when no run had read any yet."""
        latest = select(
            AccountMetricSnapshot.social_account_id, func.max(AccountMetricSnapshot.collected_at).label("at")
        ).where(
            AccountMetricSnapshot.account_id == f.account_id,
            AccountMetricSnapshot.collected_at <= instant,
            AccountMetricSnapshot.followers.is_not(None),
        )
        if f.profile_id:
            latest = latest.where(AccountMetricSnapshot.profile_id == f.profile_id)
        if f.influencer_id:
            profiles = select(Profile.id).where(
                Profile.account_id == f.account_id, Profile.influencer_id == f.influencer_id
            )
            latest = latest.where(AccountMetricSnapshot.profile_id.in_(profiles))
        if f.platform:
            latest = latest.where(AccountMetricSnapshot.platform == f.platform)
        if f.social_account_id:
            latest = latest.where(AccountMetricSnapshot.social_account_id == f.social_account_id)
        newest = latest.group_by(AccountMetricSnapshot.social_account_id).subquery()
        query = select(func.sum(AccountMetricSnapshot.followers)).join(
            newest,
            and_(
                AccountMetricSnapshot.social_account_id == newest.c.social_account_id,
                AccountMetricSnapshot.collected_at == newest.c.at,
            ),
        )
        total = await self.session.scalar(query)
        return int(total) if total is not None else None

    async def skipped_accounts(self, account_id: str) -> list[tuple[str, str, datetime]]:
        """Connected accounts whose latest run was skipped (needs reauth, inactive): (id, outcome, when)."""
        newest = (
            select(AccountMetricSnapshot.social_account_id, func.max(AccountMetricSnapshot.collected_at).label("at"))
            .where(AccountMetricSnapshot.account_id == account_id)
            .group_by(AccountMetricSnapshot.social_account_id)
            .subquery()
        )
        query = (
            select(
                AccountMetricSnapshot.social_account_id,
                AccountMetricSnapshot.outcome,
                AccountMetricSnapshot.collected_at,
            )
            .join(
                newest,
                and_(
                    AccountMetricSnapshot.social_account_id == newest.c.social_account_id,
                    AccountMetricSnapshot.collected_at == newest.c.at,
                ),
            )
            .where(AccountMetricSnapshot.outcome != SyncOutcome.SYNCED)
            .order_by(AccountMetricSnapshot.social_account_id)
        )
        return [(row[0], row[1], row[2]) for row in (await self.session.execute(query)).all()]
