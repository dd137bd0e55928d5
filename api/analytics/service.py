"""Analytics answers from the read model: totals and their previous period, a zero-filled time series in
the profile's timezone, totals per platform, and content ranked by a metric with its media URL."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from api.analytics.schemas import (
    EngagementOut,
    EngagementPoint,
    PeriodStats,
    PlatformMetrics,
    PlatformsOut,
    SkippedAccount,
    StatsOut,
    TopContentItem,
    TopContentOut,
    totals_out,
)
from domain.analytics import COUNTERS, Interval, RankMetric, reach_of
from providers.storage.base import MediaStorage
from store.repositories.analytics_queries import AnalyticsFilter, AnalyticsQueries, Totals
from store.repositories.profiles import ProfileRepository


async def _period(
    queries: AnalyticsQueries, f: AnalyticsFilter, followers: int | None, before: int | None
) -> PeriodStats:
    totals = totals_out(await queries.totals(f))
    delta = followers - before if followers is not None and before is not None else 0
    return PeriodStats.model_validate(
        {**totals.model_dump(), "start": f.start, "end": f.end, "followers": followers, "followers_delta": delta}
    )


async def stats(session: AsyncSession, f: AnalyticsFilter) -> StatsOut:
    queries = AnalyticsQueries(session)
    length = f.end - f.start
    earlier = AnalyticsFilter(**{**f.__dict__, "start": f.start - length, "end": f.start})
    # Followers at the three edges, each read once: the end of one period is the start of the next.
    at_end = await queries.followers_at(f, f.end)
    at_start = await queries.followers_at(f, f.start)
    at_earlier = await queries.followers_at(f, earlier.start)
    current = await _period(queries, f, at_end, at_start)
    previous = await _period(queries, earlier, at_start, at_earlier)
    skipped = [
        SkippedAccount(account_id=account_id, reason=reason, at=at)
        for account_id, reason, at in await queries.skipped_accounts(f.account_id)
        if f.social_account_id in (None, account_id)
    ]
    return StatsOut.model_validate({**current.model_dump(), "previous": previous, "skipped_accounts": skipped})


async def timezone_of(session: AsyncSession, account_id: str, profile_id: str | None) -> str:
    """The profile's timezone when a profile is given (404 for one not the caller's), else UTC."""
    if profile_id is None:
        return "UTC"
    profile = await ProfileRepository(session).get_owned(account_id, profile_id)
    return profile.timezone or "UTC"


def _bucket(day: date, interval: Interval) -> date:
    return day - timedelta(days=day.weekday()) if interval == Interval.WEEK else day


async def engagement(session: AsyncSession, f: AnalyticsFilter, interval: Interval) -> EngagementOut:
    zone_name = await timezone_of(session, f.account_id, f.profile_id)
    zone = ZoneInfo(zone_name)
    step = timedelta(days=7 if interval == Interval.WEEK else 1)
    first = _bucket(f.start.astimezone(zone).date(), interval)
    last = _bucket((f.end - timedelta(microseconds=1)).astimezone(zone).date(), interval)
    buckets: dict[date, dict[str, int]] = {}
    day = first
    while day <= last:
        buckets[day] = {"posts": 0, "reach": 0, **{name: 0 for name in COUNTERS}}
        day += step
    for row in await AnalyticsQueries(session).post_rows(f):
        published_at: datetime = row[0]
        counters = dict(zip(COUNTERS, row[1:], strict=True))
        slot = buckets[_bucket(published_at.astimezone(zone).date(), interval)]
        slot["posts"] += 1
        slot["reach"] += reach_of(counters)
        for name in COUNTERS:
            slot[name] += counters[name] or 0
    points = [
        EngagementPoint.model_validate(
            {
                **totals_out(
                    Totals(posts=slot["posts"], counters={n: slot[n] for n in COUNTERS}, reach=slot["reach"])
                ).model_dump(),
                "date": day,
            }
        )
        for day, slot in buckets.items()
    ]
    return EngagementOut(interval=interval, timezone=zone_name, start=f.start, end=f.end, points=points)


async def platforms(session: AsyncSession, f: AnalyticsFilter) -> PlatformsOut:
    per_platform = await AnalyticsQueries(session).by_platform(f)
    data = [
        PlatformMetrics.model_validate({**totals_out(totals).model_dump(), "platform": name})
        for name, totals in sorted(per_platform.items())
    ]
    return PlatformsOut(start=f.start, end=f.end, data=data)


async def top_content(
    session: AsyncSession, storage: MediaStorage, f: AnalyticsFilter, metric: RankMetric, limit: int
) -> TopContentOut:
    queries = AnalyticsQueries(session)
    ranked = await queries.top_content(f, metric.value, limit)
    ids = [content_id for content_id, _ in ranked]
    per_platform = await queries.content_platforms(f, ids)
    items = await queries.content_items(f.account_id, ids)
    data: list[TopContentItem] = []
    for content_id, totals in ranked:
        item = items.get(content_id)
        video = (item.video or {}) if item is not None else {}
        media_key = video.get("media_key") or (item.media_key if item is not None else None)
        data.append(
            TopContentItem.model_validate(
                {
                    **totals_out(totals).model_dump(),
                    "content_id": content_id,
                    "profile_id": item.profile_id if item is not None else None,
                    "influencer_id": item.influencer_id if item is not None else None,
                    "caption": item.caption if item is not None else "",
                    "media_url": storage.url(str(media_key)) if media_key else None,
                    "media_type": "video" if video.get("media_key") else "image",
                    "platforms": [
                        PlatformMetrics.model_validate({**totals_out(t).model_dump(), "platform": name})
                        for name, t in sorted(per_platform.get(content_id, {}).items())
                    ],
                }
            )
        )
    return TopContentOut(metric=metric, start=f.start, end=f.end, data=data)
