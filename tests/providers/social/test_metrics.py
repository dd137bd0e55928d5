"""Metrics as the analytics sync reads them, against local servers speaking each platform's wire format: a
post's counters, the account's followers, and a post deleted on the platform (``PostNotFound``, which the
sync records as gone instead of retrying)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from core.errors import PermanentProviderError
from providers.social.base import AccountCredentials, PostNotFound
from providers.social.instagram import InstagramPlatform
from providers.social.tiktok import TikTokPlatform
from providers.social.x import XPlatform
from tests.providers.social.conftest import Fake
from tests.providers.social.fakes.instagram_fake import InstagramFakeState
from tests.providers.social.fakes.tiktok_fake import TikTokFakeState
from tests.providers.social.fakes.x_fake import XFakeState


async def test_x_counters_followers_and_a_deleted_tweet(
    x: Fake[XFakeState], x_adapter: XPlatform, x_creds: AccountCredentials
) -> None:
    tweet = x.state.add_history("Counting", datetime.now(UTC) - timedelta(hours=2))
    tweet.metrics = {"like_count": 40, "reply_count": 5, "retweet_count": 6, "quote_count": 2, "impression_count": 900}
    x.state.followers = 1234

    metrics = await x_adapter.fetch_metrics(x_creds, tweet.id)
    account = await x_adapter.fetch_account_metrics(x_creds)
    del x.state.tweets[tweet.id]  # deleted on X: the lookup answers 200 with a "Not Found Error"
    with pytest.raises(PostNotFound):
        await x_adapter.fetch_metrics(x_creds, tweet.id)

    assert (metrics.likes, metrics.comments, metrics.shares, metrics.impressions) == (40, 5, 8, 900)
    assert account.followers == 1234


async def test_tiktok_counters_followers_and_a_deleted_video(
    tiktok: Fake[TikTokFakeState], tiktok_adapter: TikTokPlatform, tiktok_creds: AccountCredentials
) -> None:
    video = tiktok.state.add_video(
        "A dance", int(time.time()) - 60, like_count=70, comment_count=9, share_count=4, view_count=2500
    )
    tiktok.state.followers = 88

    metrics = await tiktok_adapter.fetch_metrics(tiktok_creds, video.id)
    account = await tiktok_adapter.fetch_account_metrics(tiktok_creds)
    del tiktok.state.videos[video.id]  # deleted in the app: the query answers ok with no videos
    with pytest.raises(PostNotFound):
        await tiktok_adapter.fetch_metrics(tiktok_creds, video.id)

    assert (metrics.likes, metrics.comments, metrics.shares, metrics.views) == (70, 9, 4, 2500)
    assert account.followers == 88


async def test_instagram_insights_followers_and_deleted_media(
    instagram: Fake[InstagramFakeState], instagram_adapter: InstagramPlatform, instagram_creds: AccountCredentials
) -> None:
    media = instagram.state.add_media("A reel", datetime.now(UTC) - timedelta(hours=5))
    instagram.state.media[media.id].insights = {"views": 3000, "likes": 150, "comments": 12, "shares": 7, "saved": 20}
    instagram.state.followers = 4321

    metrics = await instagram_adapter.fetch_metrics(instagram_creds, media.id)
    account = await instagram_adapter.fetch_account_metrics(instagram_creds)
    del instagram.state.media[media.id]  # deleted on Instagram: Graph answers error 100, subcode 33
    with pytest.raises(PostNotFound) as gone:
        await instagram_adapter.fetch_metrics(instagram_creds, media.id)

    assert (metrics.views, metrics.likes, metrics.comments, metrics.shares, metrics.saves) == (3000, 150, 12, 7, 20)
    assert account.followers == 4321
    # Still a permanent error everywhere else: publishing steps that meet it fail as before.
    assert isinstance(gone.value, PermanentProviderError) and not gone.value.retryable
