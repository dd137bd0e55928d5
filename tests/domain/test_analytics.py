"""The analytics arithmetic and the sandbox's engagement rule: what the endpoints and the tests rely on."""

from __future__ import annotations

from datetime import timedelta

from domain.analytics import engagement_rate, engagements, reach_of
from domain.sandbox import sandbox_followers, sandbox_post_engagement


def test_engagement_rate_uses_impressions_and_falls_back_to_views() -> None:
    x_post = {"impressions": 1000, "views": 1000, "likes": 30, "comments": 5, "shares": 3, "saves": 2}
    tiktok_post = {"impressions": None, "views": 400, "likes": 40, "comments": 4, "shares": 4, "saves": None}

    assert engagements(x_post) == 40 and engagement_rate(x_post) == 0.04
    assert reach_of(tiktok_post) == 400 and engagement_rate(tiktok_post) == 0.12
    assert engagement_rate({"likes": 3}) == 0.0  # no audience yet: no division by zero


def test_sandbox_engagement_grows_with_age_and_never_falls() -> None:
    ages = [timedelta(hours=h) for h in (0, 1, 6, 24, 72, 24 * 30)]
    readings = [sandbox_post_engagement("sbx_post_1", age) for age in ages]

    for name in ("views", "likes", "comments", "shares"):
        series = [reading[name] for reading in readings]
        assert series == sorted(series), (name, series)
    assert readings[0]["views"] > 0 and readings[-1]["views"] > 5 * readings[0]["views"]
    assert sandbox_post_engagement("sbx_post_1", ages[3]) == readings[3]  # deterministic
    assert sandbox_post_engagement("sbx_post_2", ages[3]) != readings[3]  # each post its own audience
    assert sandbox_post_engagement("sbx_post_1", timedelta(hours=-5)) == readings[0]  # before creation: as new


def test_sandbox_followers_gain_daily() -> None:
    day0 = sandbox_followers("sbx_user", timedelta(0))
    assert sandbox_followers("sbx_user", timedelta(days=3)) > day0 == sandbox_followers("sbx_user", timedelta(hours=23))
