from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.errors import ProviderAuthError, TransientProviderError
from providers.social._shared import normalize_text, oauth_error, parse_time, post_matches
from providers.social.base import (
    AccountCredentials,
    ImportedPost,
    MediaInput,
    PostRequest,
    TokenSet,
    UploadedMedia,
)

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
PHOTO = MediaInput(url="https://media.example.com/p.jpg", content_type="image/jpeg")


def imported(text: str, media: int = 1, at: datetime = NOW) -> ImportedPost:
    return ImportedPost(platform_post_id="1", text=text, media_urls=["u"] * media, created_at=at)


def wanted(text: str, media: int = 1) -> PostRequest:
    return PostRequest(text=text, media=[PHOTO] * media, idempotency_key="k")


def test_normalized_text_ignores_entities_links_and_spacing() -> None:
    assert normalize_text("Tea &amp; toast\n\n at 8  https://t.co/abc ") == "Tea & toast at 8"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2025-06-01T12:00:00.000Z", NOW),
        ("2025-06-01T12:00:00+0000", NOW),
        (1748779200, NOW),
    ],
)
def test_platform_timestamps_parse_to_aware_datetimes(raw: str | int, expected: datetime) -> None:
    assert parse_time(raw) == expected


def test_match_needs_same_text_and_media_count_after_since() -> None:
    since = NOW - timedelta(minutes=5)

    assert post_matches(imported("Hello there"), wanted("Hello  there"), since, max_text=None)
    assert not post_matches(imported("Hello there", media=2), wanted("Hello there"), since, max_text=None)
    assert not post_matches(imported("Hello"), wanted("Hello there"), since, max_text=None)
    assert not post_matches(
        imported("Hello there", at=since - timedelta(minutes=5)), wanted("Hello there"), since, max_text=None
    )
    # A minute of clock skew between the platform and us is tolerated.
    assert post_matches(
        imported("Hello there", at=since - timedelta(seconds=30)), wanted("Hello there"), since, max_text=None
    )


def test_match_compares_only_what_a_truncating_platform_kept() -> None:
    caption = "word " * 60

    assert post_matches(imported(caption[:150]), wanted(caption), NOW, max_text=150)
    assert not post_matches(imported("other " * 30), wanted(caption), NOW, max_text=150)


def test_oauth_refusals_are_auth_errors_unless_the_server_failed() -> None:
    refused = oauth_error({"error": "invalid_grant", "error_description": "expired"}, 400, "P")
    instagram = oauth_error(
        {"error_type": "OAuthException", "code": 400, "error_message": "bad code"}, 400, "P"
    )
    down = oauth_error({"error": "temporarily_unavailable"}, 503, "P")

    assert isinstance(refused, ProviderAuthError) and "expired" in refused.message
    assert isinstance(instagram, ProviderAuthError) and "bad code" in instagram.message
    assert isinstance(down, TransientProviderError)
    assert oauth_error({"error": {"code": "ok"}}, 200, "P") is None


def test_token_set_keeps_what_the_platform_did_not_resend() -> None:
    previous = AccountCredentials(
        access_token="old", refresh_token="rt", platform_user_id="u1", extra={"username": "me"}
    )

    merged = TokenSet(access_token="new").to_credentials(previous)

    assert (merged.access_token, merged.refresh_token, merged.platform_user_id) == ("new", "rt", "u1")
    assert merged.extra == {"username": "me"}


def test_uploaded_media_leaves_the_bytes_behind() -> None:
    # UploadedMedia goes back to the workflow; video bytes must not land in its history.
    uploaded = UploadedMedia(
        media=MediaInput(url="https://m/v.mp4", content_type="video/mp4", data=b"x" * 10)
    )

    assert uploaded.media.data is None
    assert uploaded.media.size == 10
    assert b"xxxx" not in uploaded.model_dump_json().encode()
