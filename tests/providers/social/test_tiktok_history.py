"""Reading a TikTok account's history for import: ``POST /v2/video/list/`` page by page with ``cursor`` and
``has_more``, ``since`` applied here (the endpoint has no time filter), the cover image as the one media
(the API gives no video download URL), and the rate-limit and auth errors import must tell apart."""

from __future__ import annotations

import time

import pytest

from core.errors import ProviderAuthError, TransientProviderError
from providers.social._shared import parse_time
from providers.social.base import AccountCredentials, ImportedMedia
from providers.social.tiktok import TikTokPlatform
from tests.providers.social.conftest import Fake
from tests.providers.social.fakes.tiktok_fake import TikTokFakeState
from tests.providers.social.helpers import read_history

DAY = 86400


def seed(tiktok: Fake[TikTokFakeState], count: int) -> list[str]:
    """``count`` videos a day apart, newest first in the returned ids."""
    now = int(time.time())
    ids = [
        tiktok.state.add_video(f"Clip {day}: morning routine", now - day * DAY, like_count=day, view_count=10 * day).id
        for day in range(count, 0, -1)
    ]
    return ids[::-1]


async def test_history_pages_until_has_more_ends_with_covers_as_media(
    tiktok: Fake[TikTokFakeState], tiktok_adapter: TikTokPlatform, tiktok_creds: AccountCredentials
) -> None:
    ids = seed(tiktok, 45)

    posts, pages = await read_history(tiktok_adapter, tiktok_creds, limit=20)

    assert pages == 3
    assert [p.platform_post_id for p in posts] == ids
    newest = posts[0]
    cover = f"https://p16.tiktokcdn.com/{newest.platform_post_id}.jpeg"
    assert newest.media == [ImportedMedia(url=cover, media_type="image", thumbnail_url=cover)]
    assert newest.media_type == "image"
    assert newest.url == f"https://www.tiktok.com/@persona/video/{newest.platform_post_id}"
    assert newest.text == "Clip 1: morning routine"
    assert newest.metrics is not None and (newest.metrics.likes, newest.metrics.views) == (1, 10)


async def test_page_size_is_capped_at_twenty(
    tiktok: Fake[TikTokFakeState], tiktok_adapter: TikTokPlatform, tiktok_creds: AccountCredentials
) -> None:
    seed(tiktok, 25)

    page = await tiktok_adapter.list_posts(tiktok_creds, None, 500)

    assert len(page.posts) == 20 and page.next_cursor is not None


async def test_since_filters_here_and_ends_the_history_at_the_first_older_video(
    tiktok: Fake[TikTokFakeState], tiktok_adapter: TikTokPlatform, tiktok_creds: AccountCredentials
) -> None:
    ids = seed(tiktok, 45)
    since = parse_time(int(time.time()) - 25 * DAY - 3600)

    posts, pages = await read_history(tiktok_adapter, tiktok_creds, limit=20, since=since)

    assert [p.platform_post_id for p in posts] == ids[:25]
    assert all(p.created_at >= since for p in posts)
    assert pages == 2


async def test_rate_limit_waits_the_one_minute_window(
    tiktok: Fake[TikTokFakeState], tiktok_adapter: TikTokPlatform, tiktok_creds: AccountCredentials
) -> None:
    # TikTok documents a one-minute sliding window and no reset header, so the wait is the window.
    seed(tiktok, 30)
    first = await tiktok_adapter.list_posts(tiktok_creds, None, 20)
    tiktok.state.failures.add("list", "rate_limit")

    with pytest.raises(TransientProviderError) as caught:
        await tiktok_adapter.list_posts(tiktok_creds, first.next_cursor, 20)
    rest = await tiktok_adapter.list_posts(tiktok_creds, first.next_cursor, 20)

    assert (caught.value.status, caught.value.retry_after) == (429, 60)
    assert len(first.posts) + len(rest.posts) == 30 and rest.next_cursor is None


async def test_expired_token_is_an_auth_error(
    tiktok: Fake[TikTokFakeState], tiktok_adapter: TikTokPlatform, tiktok_creds: AccountCredentials
) -> None:
    seed(tiktok, 3)
    tiktok.state.expired.add(tiktok_creds.access_token)

    with pytest.raises(ProviderAuthError) as caught:
        await tiktok_adapter.list_posts(tiktok_creds)

    assert caught.value.status == 401
