"""X (Twitter) API v2 adapter.

Media uses the dedicated v2 chunked endpoints ``POST /2/media/upload/initialize``,
``/2/media/upload/{id}/append`` and ``/2/media/upload/{id}/finalize``: X moved the old
``command=INIT|APPEND|FINALIZE`` form to these in 2025 (the official samples were updated in
August 2025). Processing status is still read with ``GET /2/media/upload?command=STATUS``."""

from __future__ import annotations

import base64
import logging
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import httpx

from core.errors import PermanentProviderError, ProviderAuthError, TransientProviderError
from providers.http import error_message, send
from providers.social import pkce
from providers.social._shared import (
    bearer,
    build_client,
    expires_in,
    find_in_recent,
    json_object,
    media_bytes,
    oauth_error,
    parse_time,
    read_body,
    token_request,
)
from providers.social.base import (
    AccountCredentials,
    AccountMetrics,
    ImportedMedia,
    ImportedPost,
    MediaInput,
    PostMetrics,
    PostNotFound,
    PostPage,
    PostRequest,
    PublishedPost,
    TokenSet,
    UploadedMedia,
)

logger = logging.getLogger(__name__)

SERVICE = "X"
DEFAULT_SCOPES = ("tweet.read", "tweet.write", "users.read", "media.write", "offline.access")
MAX_MEDIA = 4
_TWEET_FIELDS = "created_at,attachments,public_metrics"
_MEDIA_FIELDS = "type,url,preview_image_url,variants"


def _media_category(content_type: str) -> str:
    if content_type == "image/gif":
        return "tweet_gif"
    return "tweet_video" if content_type.startswith("video/") else "tweet_image"


def _metrics(post_id: str, public: dict[str, Any]) -> PostMetrics:
    impressions = public.get("impression_count")
    return PostMetrics(
        platform_post_id=post_id,
        likes=public.get("like_count"),
        comments=public.get("reply_count"),
        shares=(public.get("retweet_count") or 0) + (public.get("quote_count") or 0),
        # X shows impressions as a post's "views"; both fields carry the same counter.
        views=impressions,
        impressions=impressions,
        saves=public.get("bookmark_count"),
        collected_at=datetime.now(UTC),
    )


def _best_mp4(media: dict[str, Any]) -> str | None:
    """The highest-bitrate MP4 among a video's variants (X also lists an HLS playlist, without bit_rate)."""
    mp4s = [v for v in media.get("variants") or [] if v.get("content_type") == "video/mp4" and v.get("url")]
    if not mp4s:
        return None
    return str(max(mp4s, key=lambda v: int(v.get("bit_rate") or 0))["url"])


def _media_url(media: dict[str, Any] | None) -> str | None:
    if media is None:
        return None
    imported = _imported_media(media)
    return imported.url if imported else media.get("preview_image_url")


def _imported_media(media: dict[str, Any]) -> ImportedMedia | None:
    """A photo by its ``url``; a video or GIF (X serves GIFs as MP4) by its best MP4 variant, with the
    preview image as thumbnail. None when X gives nothing downloadable (e.g. a withheld video)."""
    preview = media.get("preview_image_url")
    if media.get("type") in ("video", "animated_gif"):
        url = _best_mp4(media)
        return ImportedMedia(url=url, media_type="video", thumbnail_url=preview) if url else None
    url = media.get("url") or preview
    return ImportedMedia(url=str(url), media_type="image") if url else None


class XPlatform:
    name = "x"

    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str | None = None,
        base_url: str = "https://api.x.com",
        authorize_endpoint: str = "https://x.com/i/oauth2/authorize",
        token_endpoint: str = "https://api.x.com/2/oauth2/token",
        scopes: Sequence[str] = DEFAULT_SCOPES,
        chunk_size: int = 4 * 1024 * 1024,
        poll_interval: float = 5.0,
        timeout: float = 30.0,
    ) -> None:
        self._client_id = client_id
        self._client_secret = client_secret
        self._authorize_endpoint = authorize_endpoint
        self._token_endpoint = token_endpoint
        self._scopes = tuple(scopes)
        self._chunk_size = chunk_size
        self._poll_interval = poll_interval
        self._client = build_client(base_url, timeout, self._check_response)

    async def aclose(self) -> None:
        await self._client.aclose()

    async def _check_response(self, response: httpx.Response) -> None:
        """X-specific outcomes; everything else is left to ``providers.http``."""
        if response.status_code < 400:
            return
        body = await read_body(response)
        if refused := oauth_error(body, response.status_code, SERVICE):
            raise refused
        if response.status_code == 429:
            reset = response.headers.get("x-rate-limit-reset")
            retry_after = max(1.0, float(reset) - time.time()) if reset and reset.isdigit() else None
            raise TransientProviderError(
                f"X rate limit reached: {error_message(response)}", retry_after=retry_after, status=429
            )
        # X refuses duplicate text with 403; that is a content problem, not a revoked token.
        if response.status_code == 403 and "duplicate" in str(body).lower():
            raise PermanentProviderError(f"X refused a duplicate post: {error_message(response)}", status=403)

    async def _call(self, creds: AccountCredentials, method: str, url: str, **kwargs: Any) -> dict[str, Any]:
        response = await send(
            self._client, method, url, service=SERVICE, headers=bearer(creds.access_token), **kwargs
        )
        return json_object(response, SERVICE)

    # -- media ---------------------------------------------------------------------------------

    async def upload_media(
        self, creds: AccountCredentials, request: PostRequest, media: MediaInput
    ) -> UploadedMedia:
        data = await media_bytes(self._client, media, service=SERVICE)
        init = await self._call(
            creds,
            "POST",
            "/2/media/upload/initialize",
            json={
                "media_type": media.content_type,
                "total_bytes": len(data),
                "media_category": _media_category(media.content_type),
            },
        )
        media_id = str(init["data"]["id"])
        for index, start in enumerate(range(0, len(data), self._chunk_size)):
            await send(
                self._client,
                "POST",
                f"/2/media/upload/{media_id}/append",
                service=SERVICE,
                headers=bearer(creds.access_token),
                data={"segment_index": str(index)},
                files={
                    "media": ("chunk", data[start : start + self._chunk_size], "application/octet-stream")
                },
            )
        final = await self._call(creds, "POST", f"/2/media/upload/{media_id}/finalize")
        return self._media_state(media, media_id, final.get("data", final))

    async def poll_media(self, creds: AccountCredentials, media: UploadedMedia) -> UploadedMedia:
        if media.status != "processing" or media.platform_media_id is None:
            return media
        body = await self._call(
            creds, "GET", "/2/media/upload", params={"command": "STATUS", "media_id": media.platform_media_id}
        )
        return self._media_state(media.media, media.platform_media_id, body.get("data", body))

    def _media_state(self, media: MediaInput, media_id: str, data: dict[str, Any]) -> UploadedMedia:
        info = data.get("processing_info")
        if not info or info.get("state") == "succeeded":
            return UploadedMedia(media=media, platform_media_id=media_id, status="ready")
        if info.get("state") == "failed":
            error = info.get("error") or {}
            message = error.get("message") or error.get("name") or "media processing failed"
            return UploadedMedia(media=media, platform_media_id=media_id, status="failed", error=message)
        return UploadedMedia(
            media=media,
            platform_media_id=media_id,
            status="processing",
            check_after=float(info.get("check_after_secs") or self._poll_interval),
        )

    # -- posts ---------------------------------------------------------------------------------

    async def create_post(
        self, creds: AccountCredentials, request: PostRequest, media: list[UploadedMedia]
    ) -> PublishedPost:
        if len(media) > MAX_MEDIA:
            raise PermanentProviderError(f"X takes at most {MAX_MEDIA} media per post, got {len(media)}")
        if any(item.status != "ready" or not item.platform_media_id for item in media):
            raise PermanentProviderError("X media must finish processing before the post is created")
        payload: dict[str, Any] = {"text": request.text}
        if media:
            payload["media"] = {"media_ids": [item.platform_media_id for item in media]}
        # X API v2 takes no idempotency key on POST /2/tweets; find_post reconciles instead.
        body = await self._call(creds, "POST", "/2/tweets", json=payload)
        post_id = str(body["data"]["id"])
        logger.info("social.x.post_created post_id=%s key=%s", post_id, request.idempotency_key)
        return self._published(post_id)

    def _published(self, post_id: str) -> PublishedPost:
        # The i/web form resolves without knowing the handle, which may change after connecting.
        return PublishedPost(
            tracking_id=post_id,
            platform_post_id=post_id,
            status="published",
            url=f"https://x.com/i/web/status/{post_id}",
        )

    async def poll_post(self, creds: AccountCredentials, post: PublishedPost) -> PublishedPost:
        body = await self._call(creds, "GET", f"/2/tweets/{post.tracking_id}")
        if "data" not in body:
            # X answers 200 with an ``errors`` list when the post no longer exists.
            errors = body.get("errors") or [{}]
            detail = errors[0].get("detail") or errors[0].get("title") or "post not found"
            return post.model_copy(update={"status": "failed", "error": str(detail)})
        return self._published(str(body["data"]["id"]))

    async def delete_post(self, creds: AccountCredentials, platform_post_id: str) -> None:
        body = await self._call(creds, "DELETE", f"/2/tweets/{platform_post_id}")
        if not body.get("data", {}).get("deleted"):
            raise PermanentProviderError(f"X did not delete post {platform_post_id}: {body}")

    async def find_post(
        self, creds: AccountCredentials, request: PostRequest, since: datetime
    ) -> PublishedPost | None:
        found = await find_in_recent(lambda cursor: self.list_posts(creds, cursor, 100), request, since)
        return self._published(found.platform_post_id) if found else None

    async def list_posts(
        self,
        creds: AccountCredentials,
        cursor: str | None = None,
        limit: int = 20,
        since: datetime | None = None,
    ) -> PostPage:
        params: dict[str, Any] = {
            "max_results": min(max(limit, 5), 100),  # X's documented bounds for this endpoint
            "tweet.fields": _TWEET_FIELDS,
            "expansions": "attachments.media_keys",
            "media.fields": _MEDIA_FIELDS,
        }
        if cursor:
            params["pagination_token"] = cursor
        if since is not None:
            params["start_time"] = since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        body = await self._call(creds, "GET", f"/2/users/{creds.platform_user_id}/tweets", params=params)
        included = {item["media_key"]: item for item in body.get("includes", {}).get("media", [])}
        posts = []
        for tweet in body.get("data", []):
            keys = tweet.get("attachments", {}).get("media_keys", [])
            found = [_imported_media(included[key]) for key in keys if key in included]
            posts.append(
                ImportedPost(
                    platform_post_id=str(tweet["id"]),
                    url=f"https://x.com/i/web/status/{tweet['id']}",
                    text=tweet.get("text", ""),
                    # One entry per attachment even when X gives no URL, so media counts stay comparable.
                    media_urls=[_media_url(included.get(key)) or key for key in keys],
                    media=[item for item in found if item is not None],
                    created_at=parse_time(tweet["created_at"]),
                    metrics=_metrics(str(tweet["id"]), tweet.get("public_metrics", {})),
                )
            )
        return PostPage(posts=posts, next_cursor=body.get("meta", {}).get("next_token"))

    async def fetch_metrics(
        self, creds: AccountCredentials, platform_post_id: str, as_of: datetime | None = None
    ) -> PostMetrics:
        body = await self._call(
            creds, "GET", f"/2/tweets/{platform_post_id}", params={"tweet.fields": "public_metrics"}
        )
        if "data" not in body:
            # X answers a deleted (or protected) tweet with 200 and a "Not Found Error" in ``errors``.
            raise PostNotFound(f"X post {platform_post_id} not found: {body.get('errors')}")
        return _metrics(platform_post_id, body["data"].get("public_metrics", {}))

    async def fetch_account_metrics(self, creds: AccountCredentials, as_of: datetime | None = None) -> AccountMetrics:
        body = await self._call(creds, "GET", "/2/users/me", params={"user.fields": "public_metrics"})
        public = (body.get("data") or {}).get("public_metrics") or {}
        return AccountMetrics(followers=public.get("followers_count"), collected_at=datetime.now(UTC))

    # -- OAuth 2.0 with PKCE ---------------------------------------------------------------------

    def code_challenge(self, code_verifier: str) -> str:
        return pkce.s256_challenge(code_verifier)

    def authorize_url(self, state: str, code_challenge: str, redirect_uri: str) -> str:
        query = urlencode(
            {
                "response_type": "code",
                "client_id": self._client_id,
                "redirect_uri": redirect_uri,
                "scope": " ".join(self._scopes),
                "state": state,
                "code_challenge": code_challenge,
                "code_challenge_method": "S256",
            }
        )
        return f"{self._authorize_endpoint}?{query}"

    def _token_headers(self) -> dict[str, str]:
        # Confidential clients authenticate with HTTP Basic; public clients send only client_id.
        if not self._client_secret:
            return {}
        raw = f"{self._client_id}:{self._client_secret}".encode()
        return {"Authorization": f"Basic {base64.b64encode(raw).decode()}"}

    async def _token(self, form: dict[str, str]) -> dict[str, Any]:
        return await token_request(
            self._client,
            "POST",
            self._token_endpoint,
            service=f"{SERVICE} OAuth",
            data={**form, "client_id": self._client_id},
            headers=self._token_headers(),
        )

    async def exchange_code(self, code: str, code_verifier: str, redirect_uri: str) -> TokenSet:
        body = await self._token(
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "code_verifier": code_verifier,
            }
        )
        tokens = self._token_set(body)
        # The token response does not name the user; /2/users/me does.
        fresh = AccountCredentials(access_token=tokens.access_token, platform_user_id="")
        me = await self._call(fresh, "GET", "/2/users/me")
        return tokens.model_copy(
            update={"platform_user_id": str(me["data"]["id"]), "username": me["data"].get("username")}
        )

    async def refresh_token(self, creds: AccountCredentials) -> TokenSet:
        if not creds.refresh_token:
            raise ProviderAuthError("X account has no refresh token (connected without offline.access)")
        body = await self._token({"grant_type": "refresh_token", "refresh_token": creds.refresh_token})
        return self._token_set(body).model_copy(update={"platform_user_id": creds.platform_user_id})

    @staticmethod
    def _token_set(body: dict[str, Any]) -> TokenSet:
        return TokenSet(
            access_token=body["access_token"],
            refresh_token=body.get("refresh_token"),
            expires_at=expires_in(body.get("expires_in")),
            scopes=str(body.get("scope", "")).split(),
        )
