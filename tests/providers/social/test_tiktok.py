from __future__ import annotations

import os
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from fastapi import FastAPI
from fastapi.responses import Response

from core.errors import PermanentProviderError, ProviderAuthError, TransientProviderError
from providers.social import pkce
from providers.social.base import (
    AccountCredentials,
    MediaInput,
    PostRequest,
    SocialPlatform,
    UnsupportedOperation,
)
from providers.social.tiktok import MIN_CHUNK, TikTokPlatform, chunk_plan
from tests.providers.social.conftest import REDIRECT_URI, Fake, follow_authorize
from tests.providers.social.fakes.server import LiveServer
from tests.providers.social.fakes.tiktok_fake import TikTokFakeState
from tests.providers.social.helpers import publish
from tests.utils.mp4 import tiny_mp4

MIB = 1024 * 1024


def clip(size: int) -> MediaInput:
    return MediaInput(
        url="https://media.example.com/clip.mp4", content_type="video/mp4", data=os.urandom(size)
    )


def request(text: str, media: MediaInput, **options: str) -> PostRequest:
    return PostRequest(text=text, media=[media], idempotency_key="cnt_1:acc_tt", options=options)


def test_adapter_implements_the_interface(tiktok_adapter: TikTokPlatform) -> None:
    assert isinstance(tiktok_adapter, SocialPlatform)


def test_chunk_plan_follows_the_media_transfer_rules() -> None:
    assert chunk_plan(3 * MIB, 10 * MIB) == (3 * MIB, 1)  # under 5 MB: one whole chunk
    assert chunk_plan(12 * MIB, 5 * MIB) == (5 * MIB, 2)  # floor(12/5); the last chunk takes 7 MB
    assert chunk_plan(200 * MIB, 1 * MIB) == (MIN_CHUNK, 40)  # never below 5 MB
    assert chunk_plan(700 * MIB, 100 * MIB) == (64 * MIB, 10)  # never above 64 MB


async def test_file_upload_is_sent_in_ordered_chunks_and_published(
    tiktok: Fake[TikTokFakeState], tiktok_adapter: TikTokPlatform, tiktok_creds: AccountCredentials
) -> None:
    tiktok.state.processing_fetches = 2
    video = clip(12 * MIB)

    post = await publish(tiktok_adapter, tiktok_creds, request("Sunset skate #ai", video))

    assert post.status == "published"
    assert post.platform_post_id in tiktok.state.videos
    assert post.url == f"https://www.tiktok.com/@persona/video/{post.platform_post_id}"
    (published,) = tiktok.state.publishes.values()
    assert published.source == "FILE_UPLOAD" and published.chunks == 2
    assert bytes(published.received) == video.data
    assert published.title == "Sunset skate #ai" and published.privacy_level == "SELF_ONLY"
    assert len(tiktok.state.videos) == 1


async def test_post_is_published_even_without_access_to_its_share_url(
    tiktok: Fake[TikTokFakeState], tiktok_adapter: TikTokPlatform, tiktok_creds: AccountCredentials
) -> None:
    tiktok.state.failures.add("query", "scope")

    post = await publish(tiktok_adapter, tiktok_creds, request("no video.list scope", clip(1000)))

    assert post.status == "published" and post.platform_post_id in tiktok.state.videos
    assert post.url is None


async def test_small_video_goes_in_one_chunk(
    tiktok: Fake[TikTokFakeState], tiktok_adapter: TikTokPlatform, tiktok_creds: AccountCredentials
) -> None:
    post = await publish(tiktok_adapter, tiktok_creds, request("tiny", clip(300_000)))

    assert post.status == "published"
    (published,) = tiktok.state.publishes.values()
    assert (published.chunk_count, published.chunks) == (1, 1)


async def test_pull_from_url_needs_a_verified_prefix(
    tiktok: Fake[TikTokFakeState], tiktok_adapter: TikTokPlatform, tiktok_creds: AccountCredentials
) -> None:
    verified = MediaInput(url="https://media.example.com/a.mp4", content_type="video/mp4")
    unverified = MediaInput(url="https://elsewhere.example.org/a.mp4", content_type="video/mp4")

    post = await publish(tiktok_adapter, tiktok_creds, request("pulled", verified))
    with pytest.raises(PermanentProviderError) as caught:
        await publish(tiktok_adapter, tiktok_creds, request("pulled", unverified))

    assert post.status == "published"
    assert [p.source for p in tiktok.state.publishes.values()] == ["PULL_FROM_URL"]
    # A 403 about URL ownership is a content problem, not a revoked token.
    assert type(caught.value) is PermanentProviderError
    assert "url_ownership_unverified" in caught.value.message


async def test_processing_failure_carries_the_fail_reason(
    tiktok: Fake[TikTokFakeState], tiktok_adapter: TikTokPlatform, tiktok_creds: AccountCredentials
) -> None:
    tiktok.state.fail_reason = "video_pull_failed"

    post = await publish(tiktok_adapter, tiktok_creds, request("doomed", clip(1000)))

    assert post.status == "failed"
    assert post.error == "video_pull_failed"
    assert tiktok.state.videos == {}


async def test_privacy_level_the_creator_cannot_use_is_refused_before_posting(
    tiktok: Fake[TikTokFakeState], tiktok_adapter: TikTokPlatform, tiktok_creds: AccountCredentials
) -> None:
    tiktok.state.privacy_options = ["SELF_ONLY"]

    with pytest.raises(PermanentProviderError, match="PUBLIC_TO_EVERYONE"):
        await publish(
            tiktok_adapter, tiktok_creds, request("hi", clip(1000), privacy_level="PUBLIC_TO_EVERYONE")
        )

    assert tiktok.state.publishes == {}


async def test_images_are_refused(tiktok_adapter: TikTokPlatform, tiktok_creds: AccountCredentials) -> None:
    photo = MediaInput(url="https://media.example.com/p.jpg", content_type="image/jpeg")

    with pytest.raises(PermanentProviderError):
        await tiktok_adapter.upload_media(tiktok_creds, request("photo", photo), photo)


async def test_delete_is_unsupported_and_not_retryable(
    tiktok_adapter: TikTokPlatform, tiktok_creds: AccountCredentials
) -> None:
    with pytest.raises(UnsupportedOperation) as caught:
        await tiktok_adapter.delete_post(tiktok_creds, "7300000000000000001")

    assert caught.value.retryable is False
    assert isinstance(caught.value, PermanentProviderError)
    assert "TikTok app" in caught.value.message


async def test_list_find_and_metrics(
    tiktok: Fake[TikTokFakeState], tiktok_adapter: TikTokPlatform, tiktok_creds: AccountCredentials
) -> None:
    now = int(time.time())
    old = tiktok.state.add_video("An older dance", now - 7200)
    hike = tiktok.state.add_video("Yesterday's hike", now - 3600)
    caption = "A very long caption " * 12  # 240 characters; TikTok keeps only 150 on the video object
    fresh = tiktok.state.add_video(
        caption, now, like_count=12, comment_count=3, share_count=2, view_count=900
    )

    first = await tiktok_adapter.list_posts(tiktok_creds, limit=2)
    rest = await tiktok_adapter.list_posts(tiktok_creds, first.next_cursor, 2)
    found = await tiktok_adapter.find_post(
        tiktok_creds, request(caption, clip(10)), datetime.fromtimestamp(now - 30, UTC)
    )
    metrics = await tiktok_adapter.fetch_metrics(tiktok_creds, fresh.id)

    assert [p.platform_post_id for p in first.posts + rest.posts] == [fresh.id, hike.id, old.id]
    assert first.next_cursor is not None and rest.next_cursor is None
    assert found is not None and found.platform_post_id == fresh.id and found.url is not None
    assert (metrics.likes, metrics.comments, metrics.shares, metrics.views) == (12, 3, 2, 900)
    assert metrics.impressions is None


async def test_find_post_returns_none_when_nothing_matches(
    tiktok: Fake[TikTokFakeState], tiktok_adapter: TikTokPlatform, tiktok_creds: AccountCredentials
) -> None:
    tiktok.state.add_video("Something else", int(time.time()))

    assert await tiktok_adapter.find_post(tiktok_creds, request("Mine", clip(10)), datetime.now(UTC)) is None


async def test_rate_limit_is_transient_for_a_minute(
    tiktok: Fake[TikTokFakeState], tiktok_adapter: TikTokPlatform, tiktok_creds: AccountCredentials
) -> None:
    tiktok.state.failures.add("init", "rate_limit")

    with pytest.raises(TransientProviderError) as caught:
        await publish(tiktok_adapter, tiktok_creds, request("hi", clip(1000)))

    assert caught.value.retry_after == 60
    assert caught.value.status == 429


async def test_expired_token_and_missing_scope_are_auth_errors(
    tiktok: Fake[TikTokFakeState], tiktok_adapter: TikTokPlatform, tiktok_creds: AccountCredentials
) -> None:
    tiktok.state.failures.add("list", "scope")
    with pytest.raises(ProviderAuthError, match="scope_not_authorized"):
        await tiktok_adapter.list_posts(tiktok_creds)

    tiktok.state.expired.add(tiktok_creds.access_token)
    with pytest.raises(ProviderAuthError, match="access_token_invalid"):
        await tiktok_adapter.list_posts(tiktok_creds)


async def test_invalid_params_are_permanent(
    tiktok: Fake[TikTokFakeState], tiktok_adapter: TikTokPlatform, tiktok_creds: AccountCredentials
) -> None:
    tiktok.state.failures.add("query", "validation")

    with pytest.raises(PermanentProviderError) as caught:
        await tiktok_adapter.fetch_metrics(tiktok_creds, "1")

    assert type(caught.value) is PermanentProviderError and caught.value.status == 400


async def test_error_inside_a_200_body_is_not_taken_for_success(
    tiktok: Fake[TikTokFakeState], tiktok_adapter: TikTokPlatform, tiktok_creds: AccountCredentials
) -> None:
    tiktok.state.failures.add("init", "spam")

    with pytest.raises(PermanentProviderError, match="spam_risk_too_many_posts"):
        await publish(tiktok_adapter, tiktok_creds, request("hi", clip(1000)))

    assert tiktok.state.publishes == {}


async def test_internal_error_is_transient(
    tiktok: Fake[TikTokFakeState], tiktok_adapter: TikTokPlatform, tiktok_creds: AccountCredentials
) -> None:
    video = clip(1000)
    uploaded = await tiktok_adapter.upload_media(tiktok_creds, request("hi", video), video)
    post = await tiktok_adapter.create_post(tiktok_creds, request("hi", video), [uploaded])
    tiktok.state.failures.add("status", "server_error")

    with pytest.raises(TransientProviderError):
        await tiktok_adapter.poll_post(tiktok_creds, post)


async def test_oauth_hex_pkce_round_trip_and_rotating_refresh(
    tiktok: Fake[TikTokFakeState], tiktok_adapter: TikTokPlatform
) -> None:
    verifier = pkce.new_code_verifier()

    callback = follow_authorize(
        tiktok_adapter.authorize_url("st", tiktok_adapter.code_challenge(verifier), REDIRECT_URI)
    )
    tokens = await tiktok_adapter.exchange_code(callback["code"], verifier, REDIRECT_URI)
    refreshed = await tiktok_adapter.refresh_token(tokens.to_credentials())

    assert callback["state"] == "st"
    assert tokens.platform_user_id == tiktok.state.open_id
    assert "video.publish" in tokens.scopes
    assert tokens.refresh_expires_at is not None
    assert refreshed.access_token in tiktok.state.tokens and refreshed.refresh_token != tokens.refresh_token
    with pytest.raises(ProviderAuthError, match="Refresh token is invalid"):
        await tiktok_adapter.refresh_token(tokens.to_credentials())


async def test_standard_base64_challenge_is_rejected_by_tiktok(tiktok_adapter: TikTokPlatform) -> None:
    verifier = pkce.new_code_verifier()
    url = tiktok_adapter.authorize_url("st", pkce.s256_challenge(verifier), REDIRECT_URI)

    with pytest.raises(AssertionError):
        follow_authorize(url)


async def test_wrong_code_verifier_is_refused(tiktok_adapter: TikTokPlatform) -> None:
    verifier = pkce.new_code_verifier()
    callback = follow_authorize(
        tiktok_adapter.authorize_url("st", tiktok_adapter.code_challenge(verifier), REDIRECT_URI)
    )

    with pytest.raises(ProviderAuthError, match="Code verifier"):
        await tiktok_adapter.exchange_code(callback["code"], pkce.new_code_verifier(), REDIRECT_URI)


@pytest.fixture
async def pulling_adapter(tiktok: Fake[TikTokFakeState]) -> AsyncIterator[TikTokPlatform]:
    """An adapter configured with the media prefix verified at TikTok, so it pulls instead of uploading."""
    adapter = TikTokPlatform(
        client_key="tt-client-key",
        client_secret="tt-client-secret",
        base_url=tiktok.url,
        chunk_size=MIN_CHUNK,
        poll_interval=0.01,
        pull_url_prefix=tiktok.state.verified_prefix,
    )
    yield adapter
    await adapter.aclose()


def mp4_host(data: bytes) -> FastAPI:
    """Where TikTok pulls from: one MP4 and one HTML page."""
    app = FastAPI()

    @app.get("/media/clip.mp4")
    async def clip_mp4() -> Response:
        return Response(data, media_type="video/mp4")

    @app.get("/media/page.mp4")
    async def not_a_video() -> Response:
        return Response("<html></html>", media_type="text/html")

    return app


async def test_video_under_the_verified_prefix_is_pulled_even_with_its_bytes_at_hand(
    tiktok: Fake[TikTokFakeState], pulling_adapter: TikTokPlatform, tiktok_creds: AccountCredentials
) -> None:
    video = clip(1000)

    post = await publish(pulling_adapter, tiktok_creds, request("pulled, not pushed", video))

    assert post.status == "published"
    (published,) = tiktok.state.publishes.values()
    assert published.source == "PULL_FROM_URL"
    assert published.video_url == video.url
    assert published.chunks == 0


async def test_video_outside_the_verified_prefix_is_uploaded_in_chunks(
    tiktok: Fake[TikTokFakeState], pulling_adapter: TikTokPlatform, tiktok_creds: AccountCredentials
) -> None:
    video = MediaInput(url="http://127.0.0.1:9/media/a.mp4", content_type="video/mp4", data=tiny_mp4())

    post = await publish(pulling_adapter, tiktok_creds, request("pushed", video))

    assert post.status == "published"
    (published,) = tiktok.state.publishes.values()
    assert published.source == "FILE_UPLOAD"
    assert bytes(published.received) == video.data


async def test_pulled_video_is_fetched_by_tiktok_and_a_bad_url_fails_in_processing(
    tiktok: Fake[TikTokFakeState], tiktok_adapter: TikTokPlatform, tiktok_creds: AccountCredentials
) -> None:
    data = tiny_mp4()
    with LiveServer(mp4_host(data)) as host:
        tiktok.state.verified_prefix = f"{host.url}/media/"
        tiktok.state.download_pulls = True
        good = MediaInput(url=f"{host.url}/media/clip.mp4", content_type="video/mp4")
        bad = MediaInput(url=f"{host.url}/media/page.mp4", content_type="video/mp4")

        post = await publish(tiktok_adapter, tiktok_creds, request("pulled", good))
        failed = await publish(tiktok_adapter, tiktok_creds, request("not a video", bad))

    assert post.status == "published" and post.platform_post_id in tiktok.state.videos
    first, second = tiktok.state.publishes.values()
    assert (first.source, bytes(first.received)) == ("PULL_FROM_URL", data)
    assert failed.status == "failed"
    assert failed.error == "video_pull_failed"
    assert second.video_id is None and len(tiktok.state.videos) == 1


async def test_video_longer_than_the_creator_may_post_is_refused_before_posting(
    tiktok: Fake[TikTokFakeState], tiktok_adapter: TikTokPlatform, tiktok_creds: AccountCredentials
) -> None:
    video = clip(1000).model_copy(update={"duration_seconds": 601.0})

    with pytest.raises(PermanentProviderError, match="at most 600 s"):
        await publish(tiktok_adapter, tiktok_creds, request("too long", video))

    assert tiktok.state.publishes == {}
