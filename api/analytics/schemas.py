"""Wire shapes of the analytics endpoints and their presenters: one block of totals used everywhere
(stats, each chart point, each platform, each content item and its platforms)."""

from __future__ import annotations

import datetime as dt
from datetime import datetime
from typing import Literal

from pydantic import Field

from core.wire import Schema
from domain.analytics import Interval, RankMetric, engagement_rate, engagements
from store.repositories.analytics_queries import Totals


class MetricTotals(Schema):
    posts_published: int = Field(description="Posts published in the period (each post on each account)")
    impressions: int
    views: int
    likes: int
    comments: int
    shares: int
    saves: int
    engagements: int = Field(description="likes + comments + shares + saves")
    engagement_rate: float = Field(description="engagements / impressions (views where a platform has none)")


def totals_out(totals: Totals) -> MetricTotals:
    counters = totals.counters
    rate = round(engagements(counters) / totals.reach, 4) if totals.reach > 0 else 0.0
    return MetricTotals(
        posts_published=totals.posts,
        engagements=engagements(counters),
        engagement_rate=rate,
        **counters,
    )


def empty_totals() -> MetricTotals:
    return MetricTotals(
        posts_published=0,
        impressions=0,
        views=0,
        likes=0,
        comments=0,
        shares=0,
        saves=0,
        engagements=0,
        engagement_rate=engagement_rate({}),
    )


class PeriodStats(MetricTotals):
    start: datetime = Field(alias="from")
    end: datetime = Field(alias="to")
    followers: int | None = Field(description="Followers of the filtered accounts at the end of the period")
    followers_delta: int = Field(description="Change in followers over the period (0 until two readings exist)")


class SkippedAccount(Schema):
    account_id: str
    reason: str = Field(description="Why its latest sync read nothing, e.g. skipped_needs_reauth")
    at: datetime


class StatsOut(PeriodStats):
    previous: PeriodStats = Field(description="The same figures for the period of equal length just before")
    skipped_accounts: list[SkippedAccount] = Field(default_factory=list)


class EngagementPoint(MetricTotals):
    date: dt.date = Field(description="First day of the bucket, in the series' timezone")


class EngagementOut(Schema):
    interval: Interval
    timezone: str
    start: datetime = Field(alias="from")
    end: datetime = Field(alias="to")
    points: list[EngagementPoint]


class PlatformMetrics(MetricTotals):
    platform: str


class PlatformsOut(Schema):
    start: datetime = Field(alias="from")
    end: datetime = Field(alias="to")
    data: list[PlatformMetrics]


class TopContentItem(MetricTotals):
    content_id: str
    profile_id: str | None
    influencer_id: str | None
    caption: str
    media_url: str | None
    media_type: Literal["image", "video"]
    platforms: list[PlatformMetrics]


class TopContentOut(Schema):
    metric: RankMetric
    start: datetime = Field(alias="from")
    end: datetime = Field(alias="to")
    data: list[TopContentItem]
