"""Reading an X account's history for import: the user's posts timeline page by page with
``pagination_token``, media expanded from ``attachments.media_keys`` (photos by URL, videos by their
best MP4 variant), ``start_time`` for ``since``, and the rate-limit and auth errors import must tell apart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from core.errors import ProviderAuthError, TransientProviderError
from providers.social.base import AccountCredentials, ImportedMedia
from providers.social.x import XPlatform
from tests.providers.social.conftest import Fake
from tests.providers.social.fakes.x_fake import XFakeState
from tests.providers.social.helpers import read_history

NOW = datetime.now(UTC).replace(microsecond=0)
PHOTO: dict[str, Any] = {"type": "photo", "url": "https://pbs.twimg.com/media/beach.jpg"}
VIDEO: dict[str, Any] = {
    "type": "video",
    "preview_image_url": "https://pbs.twimg.com/amplify_video_thumb/1/img/run.jpg",
    "variants": [
        {"content_type": "application/x-mpegURL", "url": "https://video.twimg.com/run.m3u8"},
        {"content_type": "video/mp4", "bit_rate": 256000, "url": "https://video.twimg.com/run_480.mp4"},
        {"content_type": "video/mp4", "bit_rate": 2176000, "url": "https://video.twimg.com/run_1280.mp4"},
        {"content_type": "video/mp4", "bit_rate": 832000, "url": "https://video.twimg.com/run_640.mp4"},
    ],
}


def caption(text: str) -> str:
    return text.split(" https://t.co/")[0]


def seed(x: Fake[XFakeState], count: int) -> None:
    """``count`` posts a day apart, newest first: every third a video, every third a photo, the rest text."""
    for day in range(count, 0, -1):
        media: list[dict[str, Any]] = [[VIDEO], [PHOTO], []][day % 3]
        x.state.add_history(f"Day {day} of the coast walk", NOW - timedelta(days=day), media)


async def test_history_pages_until_the_token_ends_with_media_expanded(
    x: Fake[XFakeState], x_adapter: XPlatform, x_creds: AccountCredentials
) -> None:
    seed(x, 12)

    posts, pages = await read_history(x_adapter, x_creds, limit=5)

    assert pages == 3
    # X appends a t.co link for attached media; the caption is what precedes it.
    assert [caption(p.text) for p in posts] == [f"Day {day} of the coast walk" for day in range(1, 13)]
    by_day = {int(p.text.split()[1]): p for p in posts}
    assert by_day[3].media == [
        ImportedMedia(
            url="https://video.twimg.com/run_1280.mp4",
            media_type="video",
            thumbnail_url="https://pbs.twimg.com/amplify_video_thumb/1/img/run.jpg",
        )
    ]
    assert by_day[3].media_type == "video"
    assert by_day[4].media == [ImportedMedia(url="https://pbs.twimg.com/media/beach.jpg", media_type="image")]
    assert by_day[4].media_type == "image"
    assert by_day[5].media == [] and by_day[5].media_type == "text"
    assert by_day[4].media_urls == ["https://pbs.twimg.com/media/beach.jpg"]
    assert by_day[1].metrics is not None and by_day[1].metrics.likes == 0


async def test_since_is_sent_as_start_time(
    x: Fake[XFakeState], x_adapter: XPlatform, x_creds: AccountCredentials
) -> None:
    seed(x, 12)

    posts, _ = await read_history(x_adapter, x_creds, limit=5, since=NOW - timedelta(days=4, hours=1))

    assert [caption(p.text) for p in posts] == [f"Day {day} of the coast walk" for day in range(1, 5)]


async def test_page_size_stays_within_xs_bounds(
    x: Fake[XFakeState], x_adapter: XPlatform, x_creds: AccountCredentials
) -> None:
    seed(x, 7)

    small, _ = await read_history(x_adapter, x_creds, limit=1)
    large, pages = await read_history(x_adapter, x_creds, limit=5000)

    assert len(small) == len(large) == 7 and pages == 1


async def test_rate_limit_mid_history_waits_until_the_reset(
    x: Fake[XFakeState], x_adapter: XPlatform, x_creds: AccountCredentials
) -> None:
    seed(x, 8)
    x.state.rate_limit_reset_in = 300
    first = await x_adapter.list_posts(x_creds, None, 5)
    x.state.failures.add("list", "rate_limit")

    with pytest.raises(TransientProviderError) as caught:
        await x_adapter.list_posts(x_creds, first.next_cursor, 5)
    rest = await x_adapter.list_posts(x_creds, first.next_cursor, 5)

    assert caught.value.status == 429
    assert caught.value.retry_after is not None and 290 <= caught.value.retry_after <= 300
    assert len(first.posts) + len(rest.posts) == 8 and rest.next_cursor is None


async def test_revoked_token_is_an_auth_error(
    x: Fake[XFakeState], x_adapter: XPlatform, x_creds: AccountCredentials
) -> None:
    seed(x, 3)
    x.state.expired.add(x_creds.access_token)

    with pytest.raises(ProviderAuthError) as caught:
        await x_adapter.list_posts(x_creds)

    assert caught.value.status == 401

