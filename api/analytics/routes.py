"""``/analytics``: dashboard stats, the engagement chart, top content and the platform breakdown, all
``analytics:read``, all read from the metrics the scheduled syncs store (see ``workflows/analytics_sync.py``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from api.accounts.schemas import Platform
from api.analytics import service
from api.analytics.schemas import EngagementOut, PlatformsOut, StatsOut, TopContentOut
from api.auth import AnalyticsRead
from api.deps import SessionDep, StorageDep
from core.errors import ValidationFailed
from core.wire import Instant
from domain.analytics import Interval, RankMetric
from store.repositories.analytics_queries import AnalyticsFilter

router = APIRouter(prefix="/analytics", tags=["analytics"])

DEFAULT_PERIOD = timedelta(days=30)
# A year of daily points at most: a chart, not an export.
MAX_PERIOD = timedelta(days=366)
MAX_TOP = 50

_Id = Annotated[str | None, Query(max_length=40)]


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def analytics_filter(
    principal: AnalyticsRead,
    start: Annotated[
        Instant | None, Query(alias="from", description="Start (ISO 8601); default `to` - 30 days")
    ] = None,
    end: Annotated[Instant | None, Query(alias="to", description="End, exclusive (ISO 8601); default now")] = None,
    profile_id: Annotated[str | None, Query(alias="profileId", max_length=40)] = None,
    influencer_id: Annotated[str | None, Query(alias="influencerId", max_length=40)] = None,
    platform: Annotated[Platform | None, Query()] = None,
    account_id: Annotated[
        str | None, Query(alias="accountId", max_length=40, description="A connected account")
    ] = None,
) -> AnalyticsFilter:
    """The common filters; the period is on the posts' publish time and its totals count the latest
    snapshot of each post."""
    end_at = _utc(end) if end is not None else datetime.now(UTC)
    start_at = _utc(start) if start is not None else end_at - DEFAULT_PERIOD
    if start_at >= end_at:
        raise ValidationFailed(
            f"from ({start_at.isoformat()}) must be before to ({end_at.isoformat()})",
            details=[{"field": "from", "message": "must be before to"}],
        )
    if end_at - start_at > MAX_PERIOD:
        raise ValidationFailed(
            "the period from..to is longer than 366 days",
            details=[{"field": "from", "message": "at most 366 days before to"}],
        )
    return AnalyticsFilter(
        account_id=principal.account_id,
        start=start_at,
        end=end_at,
        profile_id=profile_id,
        influencer_id=influencer_id,
        platform=platform,
        social_account_id=account_id,
    )


FilterDep = Annotated[AnalyticsFilter, Depends(analytics_filter)]


@router.get(
    "/stats",
    response_model=StatsOut,
    response_model_by_alias=True,
    summary="Dashboard stats",
    description="Totals over the posts published in the period (latest snapshot of each post), followers at the "
    "end of the period and their change, the same for the previous period of equal length, and the connected "
    "accounts whose latest sync was skipped (e.g. `skipped_needs_reauth`).",
)
async def get_stats(principal: AnalyticsRead, f: FilterDep, session: SessionDep) -> StatsOut:
    return await service.stats(session, f)


@router.get(
    "/engagement",
    response_model=EngagementOut,
    summary="Engagement chart data",
    description="The totals per day or week of publishing (weeks start on Monday), every bucket present (zeros "
    "where nothing was published), in the profile's timezone when `profileId` is given, else UTC.",
)
async def get_engagement(
    principal: AnalyticsRead, f: FilterDep, session: SessionDep, interval: Interval = Interval.DAY
) -> EngagementOut:
    return await service.engagement(session, f, interval)


@router.get(
    "/top-content",
    response_model=TopContentOut,
    summary="Top performing content",
    description="Content items ranked by `metric` over their posts published in the period, each with its "
    "metrics per platform and its media URL (the video when it has one).",
)
async def get_top_content(
    principal: AnalyticsRead,
    f: FilterDep,
    session: SessionDep,
    storage: StorageDep,
    metric: RankMetric = RankMetric.ENGAGEMENT_RATE,
    limit: Annotated[int, Query(ge=1, le=MAX_TOP)] = 10,
) -> TopContentOut:
    return await service.top_content(session, storage, f, metric, limit)


@router.get("/platforms", response_model=PlatformsOut, summary="Platform breakdown")
async def get_platforms(principal: AnalyticsRead, f: FilterDep, session: SessionDep) -> PlatformsOut:
    return await service.platforms(session, f)
