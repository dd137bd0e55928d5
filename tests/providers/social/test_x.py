from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from core.errors import PermanentProviderError, ProviderAuthError, TransientProviderError
from providers.social import pkce
from providers.social.base import AccountCredentials, MediaInput, PostRequest, SocialPlatform
from providers.social.x import XPlatform
from tests.providers.social.conftest import REDIRECT_URI, Fake, follow_authorize
from tests.providers.social.fakes.x_fake import XFakeState
from tests.providers.social.helpers import publish, upload_all
from tests.utils.mp4 import tiny_mp4


def video(size: int = 200 * 1024) -> MediaInput:
    return MediaInput(url="https://media.example.com/v.mp4", content_type="video/mp4", data=os.urandom(size))


def request(text: str, *media: MediaInput) -> PostRequest:
    return PostRequest(text=text, media=list(media), idempotency_key=f"cnt_1:acc_x:{text}")


def test_adapter_implements_the_interface(x_adapter: XPlatform) -> None:
    assert isinstance(x_adapter, SocialPlatform)


async def test_video_post_goes_through_chunked_upload_and_processing(
    x: Fake[XFakeState], x_adapter: XPlatform, x_creds: AccountCredentials
) -> None:
    x.state.processing_checks = 3
    clip = video()

    post = await publish(x_adapter, x_creds, request("Morning run by the lake", clip))

    assert post.status == "published"
    assert post.platform_post_id in x.state.tweets
    assert post.url == f"https://x.com/i/web/status/{post.platform_post_id}"
    assert len(x.state.posts) == 1
    (upload,) = x.state.uploads.values()
    assert len(upload.segments) == 4  # 200 KiB in 64 KiB chunks, appended in order
    assert b"".join(upload.segments) == clip.data
    assert upload.status_checks == 3
    assert x.state.posts[0].media_ids == list(x.state.uploads)


async def test_image_is_downloaded_from_its_url_and_ready_without_polling(
    x: Fake[XFakeState], x_adapter: XPlatform, x_creds: AccountCredentials
) -> None:
    x.state.files["photo.jpg"] = os.urandom(5000)
    photo = MediaInput(url=f"{x.url}/files/photo.jpg", content_type="image/jpeg")

    (uploaded,) = await upload_all(x_adapter, x_creds, request("caption", photo))

    assert uploaded.status == "ready"
    (upload,) = x.state.uploads.values()
    assert upload.category == "tweet_image"
    assert b"".join(upload.segments) == x.state.files["photo.jpg"]
    assert upload.status_checks == 0


async def test_processing_hint_from_x_sets_check_after(
    x: Fake[XFakeState], x_adapter: XPlatform, x_creds: AccountCredentials
) -> None:
    x.state.check_after_secs = 7

    uploaded = await x_adapter.upload_media(x_creds, request("caption"), video())

    assert uploaded.status == "processing"
    assert uploaded.check_after == 7


async def test_failed_processing_is_reported_on_the_media(
    x: Fake[XFakeState], x_adapter: XPlatform, x_creds: AccountCredentials
) -> None:
    x.state.fail_processing = True

    (uploaded,) = await upload_all(x_adapter, x_creds, request("caption", video()))

    assert uploaded.status == "failed"
    assert uploaded.error == "Unsupported video format"
    with pytest.raises(PermanentProviderError):
        await x_adapter.create_post(x_creds, request("caption"), [uploaded])
    assert x.state.posts == []


async def test_list_find_and_metrics(
    x: Fake[XFakeState], x_adapter: XPlatform, x_creds: AccountCredentials
) -> None:
    since = datetime.now(UTC)
    first = await publish(x_adapter, x_creds, request("First post & more"))
    second = await publish(x_adapter, x_creds, request("Second post with a clip", video(1000)))
    assert second.platform_post_id is not None
    x.state.tweets[second.platform_post_id].metrics = {
        "like_count": 7,
        "reply_count": 2,
        "retweet_count": 3,
        "quote_count": 1,
        "bookmark_count": 4,
        "impression_count": 250,
    }

    page = await x_adapter.list_posts(x_creds, limit=5)
    found = await x_adapter.find_post(x_creds, request("Second post with a clip", video(10)), since)
    missing = await x_adapter.find_post(x_creds, request("Never posted"), since)
    metrics = await x_adapter.fetch_metrics(x_creds, second.platform_post_id)

    assert [p.platform_post_id for p in page.posts] == [second.platform_post_id, first.platform_post_id]
    assert page.posts[1].text == "First post & more"
    assert len(page.posts[0].media_urls) == 1
    # X appended a t.co link for the media; reconciliation still recognises the post.
    assert found is not None and found.platform_post_id == second.platform_post_id
    assert missing is None
    assert (metrics.likes, metrics.comments, metrics.shares, metrics.saves) == (7, 2, 4, 4)
    assert metrics.impressions == metrics.views == 250


async def test_find_post_ignores_matches_older_than_since(
    x_adapter: XPlatform, x_creds: AccountCredentials
) -> None:
    await publish(x_adapter, x_creds, request("Same words"))

    later = datetime.now(UTC) + timedelta(minutes=10)

    assert await x_adapter.find_post(x_creds, request("Same words"), later) is None


async def test_list_pages_with_the_next_token(x_adapter: XPlatform, x_creds: AccountCredentials) -> None:
    for n in range(7):
        await publish(x_adapter, x_creds, request(f"post {n}"))

    first = await x_adapter.list_posts(x_creds, limit=5)
    rest = await x_adapter.list_posts(x_creds, first.next_cursor, 5)

    assert len(first.posts) == 5 and first.next_cursor is not None
    assert [p.text for p in rest.posts] == ["post 1", "post 0"]
    assert rest.next_cursor is None


async def test_delete_removes_the_post(
    x: Fake[XFakeState], x_adapter: XPlatform, x_creds: AccountCredentials
) -> None:
    post = await publish(x_adapter, x_creds, request("Short-lived"))
    assert post.platform_post_id is not None

    await x_adapter.delete_post(x_creds, post.platform_post_id)

    assert x.state.posts == []
    gone = await x_adapter.poll_post(x_creds, post)
    assert gone.status == "failed" and gone.error is not None and "Could not find" in gone.error


async def test_rate_limit_waits_until_the_reset_header(
    x: Fake[XFakeState], x_adapter: XPlatform, x_creds: AccountCredentials
) -> None:
    x.state.rate_limit_reset_in = 120
    x.state.failures.add("create", "rate_limit")

    with pytest.raises(TransientProviderError) as caught:
        await x_adapter.create_post(x_creds, request("hello"), [])

    assert caught.value.status == 429
    assert caught.value.retry_after is not None and 110 <= caught.value.retry_after <= 121
    assert x.state.posts == []


async def test_expired_token_is_an_auth_error(
    x: Fake[XFakeState], x_adapter: XPlatform, x_creds: AccountCredentials
) -> None:
    x.state.expired.add(x_creds.access_token)

    with pytest.raises(ProviderAuthError):
        await x_adapter.list_posts(x_creds)


async def test_invalid_post_is_permanent_not_auth(x_adapter: XPlatform, x_creds: AccountCredentials) -> None:
    with pytest.raises(PermanentProviderError) as caught:
        await x_adapter.create_post(x_creds, request("x" * 281), [])

    assert type(caught.value) is PermanentProviderError
    assert caught.value.status == 400


async def test_duplicate_text_is_permanent_not_auth(
    x_adapter: XPlatform, x_creds: AccountCredentials
) -> None:
    await publish(x_adapter, x_creds, request("Only once"))

    with pytest.raises(PermanentProviderError) as caught:
        await x_adapter.create_post(x_creds, request("Only once"), [])

    assert type(caught.value) is PermanentProviderError
    assert "duplicate" in caught.value.message


async def test_server_error_is_transient(
    x: Fake[XFakeState], x_adapter: XPlatform, x_creds: AccountCredentials
) -> None:
    x.state.failures.add("list", "server_error")

    with pytest.raises(TransientProviderError) as caught:
        await x_adapter.list_posts(x_creds)

    assert caught.value.status == 503


async def test_oauth_pkce_round_trip_and_rotating_refresh(x: Fake[XFakeState], x_adapter: XPlatform) -> None:
    verifier = pkce.new_code_verifier()
    state = pkce.new_state()

    callback = follow_authorize(
        x_adapter.authorize_url(state, x_adapter.code_challenge(verifier), REDIRECT_URI)
    )
    tokens = await x_adapter.exchange_code(callback["code"], verifier, REDIRECT_URI)
    creds = tokens.to_credentials()
    refreshed = await x_adapter.refresh_token(creds)

    assert callback["state"] == state
    assert tokens.platform_user_id == "2244994945" and tokens.username == "autopersonas_dev"
    assert tokens.expires_at is not None and tokens.expires_at > datetime.now(UTC)
    assert "offline.access" in tokens.scopes
    assert refreshed.access_token != tokens.access_token
    assert refreshed.refresh_token not in (None, tokens.refresh_token)
    assert (await x_adapter.list_posts(refreshed.to_credentials(creds))).posts == []
    with pytest.raises(ProviderAuthError):  # X rotates refresh tokens: the old one is spent
        await x_adapter.refresh_token(creds)


async def test_wrong_code_verifier_is_refused(x_adapter: XPlatform) -> None:
    verifier = pkce.new_code_verifier()
    callback = follow_authorize(
        x_adapter.authorize_url("s", x_adapter.code_challenge(verifier), REDIRECT_URI)
    )

    with pytest.raises(ProviderAuthError):
        await x_adapter.exchange_code(callback["code"], pkce.new_code_verifier(), REDIRECT_URI)


async def test_rate_limit_reset_already_passed_still_waits_a_second(
    x: Fake[XFakeState], x_adapter: XPlatform, x_creds: AccountCredentials
) -> None:
    x.state.rate_limit_reset_in = -5  # our clock ahead of X's: never a zero or negative wait
    x.state.failures.add("list", "rate_limit")

    with pytest.raises(TransientProviderError) as caught:
        await x_adapter.list_posts(x_creds)

    assert caught.value.retry_after == 1.0


async def test_real_mp4_is_sent_as_tweet_video_and_attached_once_processed(
    x: Fake[XFakeState], x_adapter: XPlatform, x_creds: AccountCredentials
) -> None:
    data = tiny_mp4()
    clip = MediaInput(url="https://api.example.com/media/v.mp4", content_type="video/mp4", data=data, size=len(data))

    post = await publish(x_adapter, x_creds, request("A tiny red clip", clip))

    assert post.status == "published"
    ((media_id, upload),) = x.state.uploads.items()
    assert (upload.media_type, upload.category, upload.total_bytes) == ("video/mp4", "tweet_video", len(data))
    assert b"".join(upload.segments) == data
    assert upload.status_checks >= 1  # created only after STATUS said succeeded
    assert x.state.posts[0].media_ids == [media_id]


async def test_video_sent_under_an_image_category_is_refused_by_x(
    x: Fake[XFakeState], x_creds: AccountCredentials
) -> None:
    async with httpx.AsyncClient(base_url=x.url) as client:
        response = await client.post(
            "/2/media/upload/initialize",
            headers={"Authorization": f"Bearer {x_creds.access_token}"},
            json={"media_type": "video/mp4", "total_bytes": 10, "media_category": "tweet_image"},
        )
    assert response.status_code == 400
