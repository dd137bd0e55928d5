"""Reading an Instagram account's history for import: the user's media edge page by page with the ``after``
cursor, carousel children expanded in the same call, videos with their thumbnails, ``since`` as Graph's
time-based paging, and the throttling and auth errors import must tell apart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.errors import ProviderAuthError, TransientProviderError
from providers.social.base import AccountCredentials
from providers.social.instagram import InstagramPlatform
from tests.providers.social.conftest import Fake
from tests.providers.social.fakes.instagram_fake import InstagramFakeState
from tests.providers.social.helpers import read_history

NOW = datetime.now(UTC).replace(microsecond=0)


def seed(instagram: Fake[InstagramFakeState], count: int) -> list[str]:
    """``count`` media a day apart (a video every fourth, a carousel every fifth), newest first in the ids."""
    ids = []
    for day in range(count, 0, -1):
        when = NOW - timedelta(days=day)
        if day % 5 == 0:
            media = instagram.state.add_media(
                f"Carousel {day}", when, media_type="CAROUSEL_ALBUM", children=("IMAGE", "VIDEO")
            )
        elif day % 4 == 0:
            media = instagram.state.add_media(f"Reel {day}", when, media_type="VIDEO", likes=day, comments=2)
        else:
            media = instagram.state.add_media(f"Photo {day}", when, likes=day)
        ids.append(media.id)
    return ids[::-1]


async def test_history_pages_until_there_is_no_next_with_typed_media(
    instagram: Fake[InstagramFakeState], instagram_adapter: InstagramPlatform, instagram_creds: AccountCredentials
) -> None:
    ids = seed(instagram, 25)

    posts, pages = await read_history(instagram_adapter, instagram_creds, limit=10)

    assert pages == 3
    assert [p.platform_post_id for p in posts] == ids
    by_caption = {p.text: p for p in posts}
    photo, reel, carousel = by_caption["Photo 1"], by_caption["Reel 4"], by_caption["Carousel 5"]
    assert [(m.media_type, m.url.endswith(".jpg")) for m in photo.media] == [("image", True)]
    assert photo.media_type == "image"
    assert [(m.media_type, m.url.endswith(".mp4")) for m in reel.media] == [("video", True)]
    assert reel.media[0].thumbnail_url is not None and reel.media[0].thumbnail_url.endswith("_thumb.jpg")
    assert reel.media_type == "video"
    assert reel.metrics is not None and (reel.metrics.likes, reel.metrics.comments) == (4, 2)
    assert [m.media_type for m in carousel.media] == ["image", "video"]
    assert carousel.media_type == "video"
    assert photo.url is not None and photo.url.startswith("https://www.instagram.com/p/")


async def test_since_is_sent_to_the_media_edge(
    instagram: Fake[InstagramFakeState], instagram_adapter: InstagramPlatform, instagram_creds: AccountCredentials
) -> None:
    ids = seed(instagram, 25)

    posts, _ = await read_history(
        instagram_adapter, instagram_creds, limit=10, since=NOW - timedelta(days=12, hours=1)
    )

    assert [p.platform_post_id for p in posts] == ids[:12]


@pytest.mark.parametrize("kind", ["rate_limit", "rate_limit_429"])
async def test_throttling_waits_as_long_as_the_usage_header_says(
    instagram: Fake[InstagramFakeState],
    instagram_adapter: InstagramPlatform,
    instagram_creds: AccountCredentials,
    kind: str,
) -> None:
    seed(instagram, 15)
    first = await instagram_adapter.list_posts(instagram_creds, None, 10)
    instagram.state.failures.add("list", kind)

    with pytest.raises(TransientProviderError) as caught:
        await instagram_adapter.list_posts(instagram_creds, first.next_cursor, 10)
    rest = await instagram_adapter.list_posts(instagram_creds, first.next_cursor, 10)

    # estimated_time_to_regain_access is in minutes.
    assert caught.value.retry_after == 7 * 60
    assert len(first.posts) + len(rest.posts) == 15 and rest.next_cursor is None


async def test_expired_token_is_an_auth_error(
    instagram: Fake[InstagramFakeState], instagram_adapter: InstagramPlatform, instagram_creds: AccountCredentials
) -> None:
    seed(instagram, 3)
    instagram.state.expired.add(instagram_creds.access_token)

    with pytest.raises(ProviderAuthError, match="190"):
        await instagram_adapter.list_posts(instagram_creds)
