from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.errors import PermanentProviderError, ProviderAuthError, TransientProviderError
from providers.social import pkce
from providers.social.base import (
    AccountCredentials,
    MediaInput,
    PostRequest,
    SocialPlatform,
    UnsupportedOperation,
)
from providers.social.instagram import InstagramPlatform
from tests.providers.social.conftest import REDIRECT_URI, Fake, follow_authorize
from tests.providers.social.fakes.instagram_fake import InstagramFakeState
from tests.providers.social.helpers import publish, upload_all

PHOTO = MediaInput(url="https://media.example.com/look.jpg", content_type="image/jpeg")
REEL = MediaInput(url="https://media.example.com/reel.mp4", content_type="video/mp4")


def request(text: str, media: MediaInput = PHOTO) -> PostRequest:
    return PostRequest(text=text, media=[media], idempotency_key="cnt_1:acc_ig")


def test_adapter_implements_the_interface(instagram_adapter: InstagramPlatform) -> None:
    assert isinstance(instagram_adapter, SocialPlatform)


async def test_image_is_published_through_a_container(
    instagram: Fake[InstagramFakeState],
    instagram_adapter: InstagramPlatform,
    instagram_creds: AccountCredentials,
) -> None:
    post = await publish(instagram_adapter, instagram_creds, request("Golden hour in Lisbon #travel"))

    assert post.status == "published"
    assert post.platform_post_id in instagram.state.media
    assert post.url == f"https://www.instagram.com/p/{post.platform_post_id[-8:]}/"
    assert len(instagram.state.media) == 1
    (container,) = instagram.state.containers.values()
    assert (container.status_code, container.media_type, container.url) == ("PUBLISHED", "IMAGE", PHOTO.url)
    assert container.caption == "Golden hour in Lisbon #travel"


async def test_post_counts_as_published_even_if_its_permalink_cannot_be_read(
    instagram: Fake[InstagramFakeState],
    instagram_adapter: InstagramPlatform,
    instagram_creds: AccountCredentials,
) -> None:
    (container,) = await upload_all(instagram_adapter, instagram_creds, request("Live"))
    instagram.state.failures.add("lookup", "server_error")

    post = await instagram_adapter.create_post(instagram_creds, request("Live"), [container])

    assert post.status == "published" and post.platform_post_id in instagram.state.media
    assert post.url is None


async def test_reel_container_is_polled_until_finished(
    instagram: Fake[InstagramFakeState],
    instagram_adapter: InstagramPlatform,
    instagram_creds: AccountCredentials,
) -> None:
    instagram.state.processing_checks = 3

    post = await publish(instagram_adapter, instagram_creds, request("Reel", REEL))

    assert post.status == "published"
    (container,) = instagram.state.containers.values()
    assert container.media_type == "REELS" and container.checks == 3
    assert container.url == REEL.url  # sent as video_url, for Instagram to fetch


async def test_container_error_is_reported_on_the_media(
    instagram: Fake[InstagramFakeState],
    instagram_adapter: InstagramPlatform,
    instagram_creds: AccountCredentials,
) -> None:
    instagram.state.container_error = "2207026: unsupported video format"

    (uploaded,) = await upload_all(instagram_adapter, instagram_creds, request("Reel", REEL))

    assert uploaded.status == "failed"
    assert uploaded.error is not None and "2207026" in uploaded.error
    with pytest.raises(PermanentProviderError):
        await instagram_adapter.create_post(instagram_creds, request("Reel", REEL), [uploaded])
    assert instagram.state.media == {}


async def test_publishing_quota_is_read_from_the_server(
    instagram: Fake[InstagramFakeState],
    instagram_adapter: InstagramPlatform,
    instagram_creds: AccountCredentials,
) -> None:
    instagram.state.quota_total = 25
    instagram.state.extra_usage = 3

    quota = await instagram_adapter.publishing_quota(instagram_creds)

    assert (quota.usage, quota.total, quota.duration_seconds, quota.exhausted) == (3, 25, 86400, False)


async def test_exhausted_quota_is_transient_and_publishes_nothing(
    instagram: Fake[InstagramFakeState],
    instagram_adapter: InstagramPlatform,
    instagram_creds: AccountCredentials,
) -> None:
    instagram.state.quota_total = 25
    instagram.state.extra_usage = 25

    with pytest.raises(TransientProviderError) as caught:
        await publish(instagram_adapter, instagram_creds, request("One too many"))

    # No post of ours is visible in the window, so the whole window is the safe wait.
    assert caught.value.retry_after == 86400
    assert "25/25" in caught.value.message
    assert instagram.state.media == {}


async def test_quota_wait_ends_when_the_oldest_post_leaves_the_window(
    instagram: Fake[InstagramFakeState],
    instagram_adapter: InstagramPlatform,
    instagram_creds: AccountCredentials,
) -> None:
    instagram.state.quota_total = 2
    now = datetime.now(UTC)
    instagram.state.add_media("older", now - timedelta(hours=23))
    instagram.state.add_media("newer", now - timedelta(hours=1))

    with pytest.raises(TransientProviderError) as caught:
        await publish(instagram_adapter, instagram_creds, request("third"))

    assert caught.value.retry_after is not None and 3500 <= caught.value.retry_after <= 3605


async def test_list_find_and_metrics(
    instagram: Fake[InstagramFakeState],
    instagram_adapter: InstagramPlatform,
    instagram_creds: AccountCredentials,
) -> None:
    now = datetime.now(UTC)
    old = instagram.state.add_media("Old caption", now - timedelta(days=3))
    fillers = [instagram.state.add_media(f"filler {n}", now - timedelta(days=2, minutes=n)) for n in range(3)]
    since = datetime.now(UTC)
    post = await publish(instagram_adapter, instagram_creds, request("Brand new look"))
    assert post.platform_post_id is not None
    instagram.state.media[post.platform_post_id].insights = {
        "views": 1200,
        "likes": 80,
        "saved": 9,
        "reach": 700,
    }

    first = await instagram_adapter.list_posts(instagram_creds, limit=3)
    rest = await instagram_adapter.list_posts(instagram_creds, first.next_cursor, 3)
    found = await instagram_adapter.find_post(instagram_creds, request("Brand new look"), since)
    not_ours = await instagram_adapter.find_post(instagram_creds, request("Old caption"), since)
    metrics = await instagram_adapter.fetch_metrics(instagram_creds, post.platform_post_id)

    assert (
        first.posts[0].platform_post_id == post.platform_post_id and first.posts[0].text == "Brand new look"
    )
    assert [p.platform_post_id for p in rest.posts] == [fillers[2].id, old.id] and rest.next_cursor is None
    assert found is not None and found.platform_post_id == post.platform_post_id and found.url == post.url
    assert not_ours is None
    assert (metrics.views, metrics.likes, metrics.saves, metrics.reach) == (1200, 80, 9, 700)
    assert (metrics.comments, metrics.shares) == (0, 0)


async def test_delete_is_unsupported(
    instagram_adapter: InstagramPlatform, instagram_creds: AccountCredentials
) -> None:
    with pytest.raises(UnsupportedOperation, match="Facebook Login"):
        await instagram_adapter.delete_post(instagram_creds, "17841400000000001")


async def test_rate_limit_waits_as_long_as_the_usage_header_says(
    instagram: Fake[InstagramFakeState],
    instagram_adapter: InstagramPlatform,
    instagram_creds: AccountCredentials,
) -> None:
    instagram.state.failures.add("list", "rate_limit")

    with pytest.raises(TransientProviderError) as caught:
        await instagram_adapter.list_posts(instagram_creds)

    assert caught.value.retry_after == 7 * 60


async def test_expired_token_is_an_auth_error(
    instagram: Fake[InstagramFakeState],
    instagram_adapter: InstagramPlatform,
    instagram_creds: AccountCredentials,
) -> None:
    instagram.state.expired.add(instagram_creds.access_token)

    with pytest.raises(ProviderAuthError, match="190"):
        await instagram_adapter.upload_media(instagram_creds, request("x"), PHOTO)


async def test_invalid_parameter_is_permanent(
    instagram: Fake[InstagramFakeState],
    instagram_adapter: InstagramPlatform,
    instagram_creds: AccountCredentials,
) -> None:
    instagram.state.failures.add("container", "validation")

    with pytest.raises(PermanentProviderError) as caught:
        await instagram_adapter.upload_media(instagram_creds, request("x"), PHOTO)

    assert type(caught.value) is PermanentProviderError
    assert "100/2207052" in caught.value.message


async def test_transient_graph_error_is_retryable(
    instagram: Fake[InstagramFakeState],
    instagram_adapter: InstagramPlatform,
    instagram_creds: AccountCredentials,
) -> None:
    (container,) = await upload_all(instagram_adapter, instagram_creds, request("x"))
    instagram.state.failures.add("publish", "server_error")

    with pytest.raises(TransientProviderError):
        await instagram_adapter.create_post(instagram_creds, request("x"), [container])

    assert instagram.state.media == {}


async def test_unsupported_media_type_is_refused(
    instagram_adapter: InstagramPlatform, instagram_creds: AccountCredentials
) -> None:
    pdf = MediaInput(url="https://media.example.com/doc.pdf", content_type="application/pdf")

    with pytest.raises(PermanentProviderError):
        await instagram_adapter.upload_media(instagram_creds, request("x", pdf), pdf)


async def test_oauth_round_trip_gives_a_long_lived_token_that_refreshes(
    instagram: Fake[InstagramFakeState], instagram_adapter: InstagramPlatform
) -> None:
    verifier = pkce.new_code_verifier()
    authorize = instagram_adapter.authorize_url(
        "st-ig", instagram_adapter.code_challenge(verifier), REDIRECT_URI
    )

    callback = follow_authorize(authorize)
    tokens = await instagram_adapter.exchange_code(callback["code"], verifier, REDIRECT_URI)
    creds = tokens.to_credentials()
    refreshed = await instagram_adapter.refresh_token(creds)

    assert callback["state"] == "st-ig"
    assert "code_challenge" not in authorize  # Business Login for Instagram takes no PKCE parameters
    assert tokens.access_token in instagram.state.tokens  # the long-lived token, not the one-hour one
    assert tokens.platform_user_id == instagram.state.user_id and tokens.username == "persona.ig"
    assert tokens.expires_at is not None and tokens.expires_at > datetime.now(UTC) + timedelta(days=59)
    assert "instagram_business_content_publish" in tokens.scopes
    assert refreshed.access_token != tokens.access_token
    assert refreshed.to_credentials(creds).platform_user_id == instagram.state.user_id

    instagram.state.expired.add(refreshed.access_token)
    with pytest.raises(ProviderAuthError):
        await instagram_adapter.refresh_token(refreshed.to_credentials(creds))


async def test_reused_authorization_code_is_refused(instagram_adapter: InstagramPlatform) -> None:
    callback = follow_authorize(instagram_adapter.authorize_url("st", "unused", REDIRECT_URI))
    await instagram_adapter.exchange_code(callback["code"], "unused", REDIRECT_URI)

    with pytest.raises(ProviderAuthError, match="Invalid authorization code"):
        await instagram_adapter.exchange_code(callback["code"], "unused", REDIRECT_URI)
