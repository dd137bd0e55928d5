"""TikTok Content Posting API (direct post of one video) and Display API (list, metrics) adapter.

TikTok takes the media inside the publish call: ``/v2/post/publish/video/init/`` both creates the
post and says where the video comes from (``PULL_FROM_URL``, which needs a verified URL prefix, or
``FILE_UPLOAD`` followed by PUTs of chunks to ``upload_url``). A video whose URL is under the prefix
verified with TikTok (``pull_url_prefix``), or whose bytes the caller does not hold, is pulled; any
other is uploaded in chunks. So ``upload_media`` only validates, and
``create_post`` is the one step that must not be repeated without ``find_post``. Errors arrive as an
``error`` object ``{code, message, log_id}``, sometimes with HTTP 200."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import httpx

from core.errors import PermanentProviderError, ProviderAuthError, TransientProviderError
from providers.http import parse_retry_after, send
from providers.social import pkce
from providers.social._shared import (
    bearer,
    build_client,
    expires_in,
    find_in_recent,
    json_object,
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
    UnsupportedOperation,
    UploadedMedia,
)

logger = logging.getLogger(__name__)

SERVICE = "TikTok"
DEFAULT_SCOPES = ("user.info.basic", "video.publish", "video.upload", "video.list")
_AUTH_CODES = {"access_token_invalid", "scope_not_authorized", "scope_permission_missed"}
# TikTok counts requests in one-minute sliding windows.
_RATE_LIMIT_WINDOW = 60.0
# Chunk rules from TikTok's media transfer guide.
MIN_CHUNK = 5 * 1024 * 1024
MAX_CHUNK = 64 * 1024 * 1024
# The video object keeps at most 150 characters of the caption.
_KEPT_TEXT = 150
_POST_INFO_OPTIONS = (
    "disable_duet",
    "disable_comment",
    "disable_stitch",
    "video_cover_timestamp_ms",
    "brand_content_toggle",
    "brand_organic_toggle",
)
_VIDEO_FIELDS = (
    "id,create_time,cover_image_url,share_url,embed_link,video_description,title,duration,"
    "like_count,comment_count,share_count,view_count"
)
# /v2/video/list/ returns at most 20 videos per call.
_MAX_PAGE = 20


def chunk_plan(size: int, chunk_size: int) -> tuple[int, int]:
    """(chunk size, chunk count) for FILE_UPLOAD: small videos go whole; otherwise the count is
    size // chunk and the last chunk takes the trailing bytes."""
    if size < MIN_CHUNK:
        return size, 1
    chunk = min(max(chunk_size, MIN_CHUNK), MAX_CHUNK)
    return chunk, size // chunk


def _metrics(video: dict[str, Any]) -> PostMetrics:
    return PostMetrics(
        platform_post_id=str(video["id"]),
        likes=video.get("like_count"),
        comments=video.get("comment_count"),
        shares=video.get("share_count"),
        views=video.get("view_count"),
        collected_at=datetime.now(UTC),
    )


def _imported(video: dict[str, Any]) -> ImportedPost:
    """A listed video. TikTok's API gives no download URL for the video itself, so the post URL is its
    ``share_url`` (or ``embed_link``) and its one media item is the cover image, typed "image": that is
    what an importer can fetch. The cover URL is signed by TikTok's CDN and expires after some hours, so
    an importer must download it while the page is fresh, not store the URL."""
    cover = video.get("cover_image_url")
    return ImportedPost(
        platform_post_id=str(video["id"]),
        url=video.get("share_url") or video.get("embed_link"),
        text=video.get("video_description") or video.get("title") or "",
        media_urls=[cover or str(video["id"])],
        media=[ImportedMedia(url=str(cover), media_type="image", thumbnail_url=str(cover))] if cover else [],
        created_at=parse_time(int(video["create_time"])),
        metrics=_metrics(video),
    )


class TikTokPlatform:
    name = "tiktok"

    def __init__(
        self,
        *,
        client_key: str,
        client_secret: str,
        base_url: str = "https://open.tiktokapis.com",
        authorize_endpoint: str = "https://www.tiktok.com/v2/auth/authorize/",
        token_endpoint: str = "https://open.tiktokapis.com/v2/oauth/token/",
        scopes: Sequence[str] = DEFAULT_SCOPES,
        privacy_level: str = "SELF_ONLY",
        pull_url_prefix: str | None = None,
        chunk_size: int = 10 * 1024 * 1024,
        poll_interval: float = 5.0,
        timeout: float = 60.0,
    ) -> None:
        self._client_key = client_key
        self._client_secret = client_secret
        self._authorize_endpoint = authorize_endpoint
        self._token_endpoint = token_endpoint
        self._scopes = tuple(scopes)
        # Unaudited TikTok apps may only post privately, hence the SELF_ONLY default.
        self._privacy_level = privacy_level
        # PULL_FROM_URL works only for URLs under a prefix verified in the TikTok developer portal.
        self._pull_url_prefix = pull_url_prefix or None
        self._chunk_size = chunk_size
        self._poll_interval = poll_interval
        self._client = build_client(base_url, timeout, self._check_response)

    async def aclose(self) -> None:
        await self._client.aclose()

    async def _check_response(self, response: httpx.Response) -> None:
        body = await read_body(response)
        if refused := oauth_error(body, response.status_code, SERVICE):
            raise refused
        error = body.get("error") if isinstance(body, dict) else None
        if not isinstance(error, dict) or str(error.get("code") or "ok") == "ok":
            return
        code = str(error["code"])
        status = response.status_code
        message = f"TikTok {code}: {error.get('message') or ''} (log_id {error.get('log_id')})"
        if code == "rate_limit_exceeded":
            retry_after = parse_retry_after(response.headers.get("retry-after")) or _RATE_LIMIT_WINDOW
            raise TransientProviderError(message, retry_after=retry_after, status=status)
        if code in _AUTH_CODES:
            raise ProviderAuthError(message, status=status)
        if code == "internal_error" or status >= 500:
            raise TransientProviderError(message, status=status)
        raise PermanentProviderError(message, status=status)

    async def _call(self, creds: AccountCredentials, path: str, **kwargs: Any) -> dict[str, Any]:
        response = await send(
            self._client, "POST", path, service=SERVICE, headers=bearer(creds.access_token), **kwargs
        )
        data = json_object(response, SERVICE).get("data")
        return data if isinstance(data, dict) else {}

    # -- media and posts -------------------------------------------------------------------------

    async def upload_media(
        self, creds: AccountCredentials, request: PostRequest, media: MediaInput
    ) -> UploadedMedia:
        if not media.is_video:
            raise PermanentProviderError(f"TikTok direct post takes a video, not {media.content_type}")
        return UploadedMedia(media=media, status="ready")

    async def poll_media(self, creds: AccountCredentials, media: UploadedMedia) -> UploadedMedia:
        return media

    async def create_post(
        self, creds: AccountCredentials, request: PostRequest, media: list[UploadedMedia]
    ) -> PublishedPost:
        if len(media) != 1 or len(request.media) != 1:
            raise PermanentProviderError(f"TikTok posts take exactly one video, got {len(request.media)}")
        # The request holds the bytes (UploadedMedia drops them); without bytes TikTok pulls the URL.
        video = request.media[0]
        post_info = await self._post_info(creds, request, video)
        source: dict[str, Any]
        if not self._pulls(video) and video.data is not None:
            chunk, count = chunk_plan(len(video.data), self._chunk_size)
            source = {
                "source": "FILE_UPLOAD",
                "video_size": len(video.data),
                "chunk_size": chunk,
                "total_chunk_count": count,
            }
        else:
            source = {"source": "PULL_FROM_URL", "video_url": video.url}
        # TikTok accepts no idempotency key here; find_post reconciles instead.
        data = await self._call(
            creds, "/v2/post/publish/video/init/", json={"post_info": post_info, "source_info": source}
        )
        publish_id = str(data["publish_id"])
        logger.info(
            "social.tiktok.post_initialized publish_id=%s key=%s", publish_id, request.idempotency_key
        )
        if source["source"] == "FILE_UPLOAD":
            await self._upload_chunks(
                str(data["upload_url"]), video, source["chunk_size"], source["total_chunk_count"]
            )
        return PublishedPost(tracking_id=publish_id, status="processing", check_after=self._poll_interval)

    def _pulls(self, video: MediaInput) -> bool:
        """TikTok fetches the video itself when its URL is under our verified prefix or we hold no bytes."""
        if video.data is None:
            return True
        return self._pull_url_prefix is not None and video.url.startswith(self._pull_url_prefix)

    async def _post_info(self, creds: AccountCredentials, request: PostRequest, video: MediaInput) -> dict[str, Any]:
        # The creator's allowed privacy levels change (e.g. private accounts); check before posting.
        creator = await self._call(creds, "/v2/post/publish/creator_info/query/")
        longest = creator.get("max_video_post_duration_sec")
        if video.duration_seconds is not None and isinstance(longest, int | float) and video.duration_seconds > longest:
            raise PermanentProviderError(
                f"TikTok lets this creator post videos of at most {longest} s; this one is {video.duration_seconds:g} s"
            )
        privacy = str(request.options.get("privacy_level", self._privacy_level))
        allowed = creator.get("privacy_level_options") or []
        if privacy not in allowed:
            raise PermanentProviderError(
                f"TikTok privacy level {privacy} is not among this creator's {allowed}"
            )
        info: dict[str, Any] = {"title": request.text, "privacy_level": privacy}
        info.update({key: request.options[key] for key in _POST_INFO_OPTIONS if key in request.options})
        return info

    async def _upload_chunks(self, upload_url: str, video: MediaInput, chunk: int, count: int) -> None:
        data = video.data or b""
        total = len(data)
        for index in range(count):
            start = index * chunk
            end = total if index == count - 1 else start + chunk
            await send(
                self._client,
                "PUT",
                upload_url,
                service=f"{SERVICE} upload",
                content=data[start:end],
                headers={
                    "Content-Type": video.content_type,
                    "Content-Range": f"bytes {start}-{end - 1}/{total}",
                },
            )

    async def poll_post(self, creds: AccountCredentials, post: PublishedPost) -> PublishedPost:
        data = await self._call(
            creds, "/v2/post/publish/status/fetch/", json={"publish_id": post.tracking_id}
        )
        status = data.get("status")
        if status == "PUBLISH_COMPLETE":
            # TikTok spells it "publicaly"; the list stays empty for private posts and during moderation.
            ids = data.get("publicaly_available_post_id") or []
            if not ids:
                return post.model_copy(update={"status": "published", "check_after": None})
            post_id = str(ids[0])
            return post.model_copy(
                update={
                    "status": "published",
                    "platform_post_id": post_id,
                    "url": await self._share_url(creds, post_id),
                    "check_after": None,
                }
            )
        if status == "FAILED":
            return post.model_copy(
                update={
                    "status": "failed",
                    "error": str(data.get("fail_reason") or "failed"),
                    "check_after": None,
                }
            )
        if status == "SEND_TO_USER_INBOX":
            # Only inbox uploads end here; a direct post never should, and it is not live.
            return post.model_copy(
                update={
                    "status": "failed",
                    "error": "TikTok sent the video to the creator's inbox instead of posting",
                }
            )
        return post.model_copy(update={"status": "processing", "check_after": self._poll_interval})

    async def _share_url(self, creds: AccountCredentials, post_id: str) -> str | None:
        # The post is live whatever happens here; a missing video.list scope must not turn it into a failure.
        try:
            video = await self._video(creds, post_id, "id,share_url")
        except PermanentProviderError as exc:
            logger.warning("social.tiktok.share_url_unavailable post_id=%s error=%s", post_id, exc.message)
            return None
        return str(video["share_url"]) if video and video.get("share_url") else None

    async def delete_post(self, creds: AccountCredentials, platform_post_id: str) -> None:
        raise UnsupportedOperation(
            "TikTok's API has no endpoint to delete a video; the creator must delete it in the TikTok app"
        )

    async def find_post(
        self, creds: AccountCredentials, request: PostRequest, since: datetime
    ) -> PublishedPost | None:
        # /v2/video/list/ returns public videos only: a SELF_ONLY post cannot be found here, so callers
        # must keep the publish_id from create_post and poll it rather than post again.
        found = await find_in_recent(
            lambda cursor: self.list_posts(creds, cursor, 20), request, since, max_text=_KEPT_TEXT
        )
        if found is None:
            return None
        return PublishedPost(
            tracking_id=found.platform_post_id,
            platform_post_id=found.platform_post_id,
            status="published",
            url=found.url,
        )

    async def list_posts(
        self,
        creds: AccountCredentials,
        cursor: str | None = None,
        limit: int = 20,
        since: datetime | None = None,
    ) -> PostPage:
        payload: dict[str, Any] = {"max_count": min(max(limit, 1), _MAX_PAGE)}
        if cursor:
            payload["cursor"] = int(cursor)
        data = await self._call(creds, "/v2/video/list/", params={"fields": _VIDEO_FIELDS}, json=payload)
        posts = [_imported(video) for video in data.get("videos") or []]
        next_cursor = str(data["cursor"]) if data.get("has_more") and data.get("cursor") is not None else None
        if since is not None:
            # /v2/video/list/ has no time filter; it lists newest first, so the first older video ends the history.
            kept = [post for post in posts if post.created_at >= since]
            if len(kept) < len(posts):
                next_cursor = None
            posts = kept
        return PostPage(posts=posts, next_cursor=next_cursor)

    async def _video(self, creds: AccountCredentials, video_id: str, fields: str) -> dict[str, Any] | None:
        data = await self._call(
            creds, "/v2/video/query/", params={"fields": fields}, json={"filters": {"video_ids": [video_id]}}
        )
        videos = data.get("videos") or []
        return videos[0] if videos else None

    async def fetch_metrics(
        self, creds: AccountCredentials, platform_post_id: str, as_of: datetime | None = None
    ) -> PostMetrics:
        video = await self._video(
            creds, platform_post_id, "id,like_count,comment_count,share_count,view_count"
        )
        if video is None:
            # The query answers ok with an empty list for a video the creator deleted.
            raise PostNotFound(f"TikTok video {platform_post_id} not found for this creator")
        return _metrics(video)

    async def fetch_account_metrics(self, creds: AccountCredentials, as_of: datetime | None = None) -> AccountMetrics:
        response = await send(
            self._client,
            "GET",
            "/v2/user/info/",
            service=SERVICE,
            headers=bearer(creds.access_token),
            params={"fields": "open_id,follower_count"},
        )
        data = json_object(response, SERVICE).get("data")
        user = data.get("user") if isinstance(data, dict) else None
        followers = user.get("follower_count") if isinstance(user, dict) else None
        return AccountMetrics(followers=followers, collected_at=datetime.now(UTC))

    # -- OAuth 2.0 ---------------------------------------------------------------------------------

    def code_challenge(self, code_verifier: str) -> str:
        return pkce.s256_hex_challenge(code_verifier)

    def authorize_url(self, state: str, code_challenge: str, redirect_uri: str) -> str:
        query = urlencode(
            {
                "client_key": self._client_key,
                "response_type": "code",
                "scope": ",".join(self._scopes),
                "redirect_uri": redirect_uri,
                "state": state,
                "code_challenge": code_challenge,
                "code_challenge_method": "S256",
            }
        )
        return f"{self._authorize_endpoint}?{query}"

    async def _token(self, form: dict[str, str]) -> TokenSet:
        body = await token_request(
            self._client,
            "POST",
            self._token_endpoint,
            service=f"{SERVICE} OAuth",
            data={**form, "client_key": self._client_key, "client_secret": self._client_secret},
        )
        return TokenSet(
            access_token=body["access_token"],
            refresh_token=body.get("refresh_token"),
            expires_at=expires_in(body.get("expires_in")),
            refresh_expires_at=expires_in(body.get("refresh_expires_in")),
            scopes=[scope for scope in str(body.get("scope", "")).split(",") if scope],
            platform_user_id=body.get("open_id"),
        )

    async def exchange_code(self, code: str, code_verifier: str, redirect_uri: str) -> TokenSet:
        return await self._token(
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "code_verifier": code_verifier,
            }
        )

    async def refresh_token(self, creds: AccountCredentials) -> TokenSet:
        if not creds.refresh_token:
            raise ProviderAuthError("TikTok account has no refresh token; it must be connected again")
        # TikTok rotates refresh tokens: the caller must store the one returned here.
        return await self._token({"grant_type": "refresh_token", "refresh_token": creds.refresh_token})
