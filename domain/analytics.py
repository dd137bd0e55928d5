"""Analytics vocabulary and arithmetic shared by the sync activities, the API and the A/B decision: the
counters a snapshot holds, how engagements and the engagement rate are derived from them, the metrics a
ranking may use, chart intervals, and the outcome of one account's sync run."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

# The counters a platform may report for a post; a platform that lacks one stores NULL, counted as 0.
COUNTERS: tuple[str, ...] = ("impressions", "views", "likes", "comments", "shares", "saves")
# What counts as an engagement: interactions, not passive views.
ENGAGEMENT_COUNTERS: tuple[str, ...] = ("likes", "comments", "shares", "saves")


class RankMetric(StrEnum):
    ENGAGEMENT_RATE = "engagementRate"
    LIKES = "likes"
    VIEWS = "views"
    COMMENTS = "comments"
    SHARES = "shares"


class Interval(StrEnum):
    DAY = "day"
    WEEK = "week"


class SyncOutcome(StrEnum):
    """How one account's sync run ended; the latest is shown with the account's analytics."""

    SYNCED = "synced"
    SKIPPED_NEEDS_REAUTH = "skipped_needs_reauth"
    SKIPPED_INACTIVE = "skipped_inactive"


def engagements(counters: Mapping[str, int | None]) -> int:
    return sum(counters.get(name) or 0 for name in ENGAGEMENT_COUNTERS)


def reach_of(counters: Mapping[str, int | None]) -> int:
    """The audience an engagement rate is measured against: impressions where the platform reports them
    (X, Instagram), else views (TikTok, the sandbox)."""
    return (counters.get("impressions") or 0) or (counters.get("views") or 0)


def engagement_rate(counters: Mapping[str, int | None]) -> float:
    """Engagements per impression (or view), as a fraction rounded to 4 places; 0 with no audience yet."""
    audience = reach_of(counters)
    if audience <= 0:
        return 0.0
    return round(engagements(counters) / audience, 4)
