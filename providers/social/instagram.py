"""Instagram API with Instagram Login (graph.instagram.com) adapter: content publishing, media, insights.

Publishing is container based: ``upload_media`` creates the container (media URL + caption; a duplicate
container is harmless, it expires unpublished after 24 hours), ``poll_media`` reads its
``status_code`` and ``create_post`` calls ``media_publish``, the one step that must not repeat.
The rolling publishing limit is read from ``content_publishing_limit`` rather than hard-coded.

Deleting is refused: Meta documents media deletion only for the Instagram API with Facebook Login
(Page tokens with ``instagram_manage_contents``), not for Instagram Login tokens used here."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import httpx
from pydantic import BaseModel

from core.errors import (
    PermanentProviderError,
    ProviderAuthError,
    ProviderError,
    TransientProviderError,
)
from providers.http import send
from providers.social import pkce
from providers.social._shared import (
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

SERVICE = "Instagram"
DEFAULT_SCOPES = ("instagram_business_basic", "instagram_business_content_publish")
# Graph API throttling codes: app, user, page, custom and Instagram business-use-case limits.
_RATE_LIMIT_CODES = {4, 17, 32, 613, 80002}
_PUBLISH_LIMIT = (9, 2207042)
_EXPIRED_CONTAINER = 2207020
# "Object with ID ... does not exist": what Graph answers for media deleted on Instagram.
_NO_SUCH_OBJECT = (100, 33)
# Graph rate limits are hourly windows; used when no usage header says how long to wait.
_DEFAULT_RATE_LIMIT_WAIT = 600.0
_CHILD_FIELDS = "id,media_type,media_url,thumbnail_url"
# Carousel children come in the same call through field expansion, so a page costs one request.
_MEDIA_FIELDS = (
    "id,caption,media_type,media_url,thumbnail_url,permalink,timestamp,like_count,comments_count,"
    f"children{{{_CHILD_FIELDS}}}"
)
# The media edge pages at most 100 items per call.
_MAX_PAGE = 100
_INSIGHTS = {
    "views": "views",
    "reach": "reach",
    "likes": "likes",
    "comments": "comments",
    "shares": "shares",
    "saved": "saves",
}


class PublishingQuota(BaseModel):
    usage: int
    total: int
    duration_seconds: int

    @property
    def exhausted(self) -> bool:
        return self.usage >= self.total


def _usage_wait(headers: httpx.Headers) -> float | None:
    """Seconds until access returns, from the business-use-case usage header Meta sends when throttling."""
    raw = headers.get("x-business-use-case-usage")
    if not raw:
        return None
    try:
        usage = json.loads(raw)
        minutes = [
            float(entry.get("estimated_time_to_regain_access") or 0)
            for entries in usage.values()
            for entry in entries
        ]
    except (ValueError, AttributeError, TypeError):
        return None
    longest = max(minutes, default=0.0)
    return longest * 60 if longest > 0 else None


def _media_item(item: dict[str, Any]) -> ImportedMedia | None:
    """IMAGE and VIDEO (reels too) by ``media_url``; None when Meta withholds it (copyrighted audio)."""
    url = item.get("media_url")
    if not url:
        return None
    if item.get("media_type") == "VIDEO":
        return ImportedMedia(url=str(url), media_type="video", thumbnail_url=item.get("thumbnail_url"))
    return ImportedMedia(url=str(url), media_type="image")


def _imported(item: dict[str, Any]) -> ImportedPost:
    children = (item.get("children") or {}).get("data") or []
    parts = children if item.get("media_type") == "CAROUSEL_ALBUM" and children else [item]
    media = [found for found in (_media_item(part) for part in parts) if found is not None]
    post_id = str(item["id"])
    return ImportedPost(
        platform_post_id=post_id,
        url=item.get("permalink"),
        text=item.get("caption") or "",
        # One entry per published media, as find_post compares counts with a one-media request.
        media_urls=[item.get("media_url") or item.get("thumbnail_url") or post_id],
        media=media,
        created_at=parse_time(item["timestamp"]),
        metrics=PostMetrics(
            platform_post_id=post_id,
            likes=item.get("like_count"),
            comments=item.get("comments_count"),
            collected_at=datetime.now(UTC),
        ),
    )


class InstagramPlatform:
    name = "instagram"

    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        base_url: str = "https://graph.instagram.com",
        api_version: str = "v24.0",
        authorize_endpoint: str = "https://www.instagram.com/oauth/authorize",
        token_endpoint: str = "https://api.instagram.com/oauth/access_token",
        scopes: Sequence[str] = DEFAULT_SCOPES,
        poll_interval: float = 5.0,
        timeout: float = 30.0,
    ) -> None:
        self._client_id = client_id
        self._client_secret = client_secret
        self._version = api_version
        self._authorize_endpoint = authorize_endpoint
        self._token_endpoint = token_endpoint
        self._scopes = tuple(scopes)
        self._poll_interval = poll_interval
        self._client = build_client(base_url, timeout, self._check_response)

    async def aclose(self) -> None:
        await self._client.aclose()

    async def _check_response(self, response: httpx.Response) -> None:
        body = await read_body(response)
        if refused := oauth_error(body, response.status_code, SERVICE):
            raise refused
        error = body.get("error") if isinstance(body, dict) else None
        if not isinstance(error, dict):
            return
        code, subcode = error.get("code"), error.get("error_subcode")
        status = response.status_code
        message = f"Instagram error {code}/{subcode}: {error.get('error_user_msg') or error.get('message')}"
        if code in _RATE_LIMIT_CODES:
            wait = _usage_wait(response.headers) or _DEFAULT_RATE_LIMIT_WAIT
            raise TransientProviderError(message, retry_after=wait, status=status)
        if (code, subcode) == _PUBLISH_LIMIT:
            raise TransientProviderError(message, retry_after=_DEFAULT_RATE_LIMIT_WAIT, status=status)
        if (code, subcode) == _NO_SUCH_OBJECT:
            raise PostNotFound(message, status=status)
        if code == 190 or code == 10 or (isinstance(code, int) and 200 <= code < 300):
            raise ProviderAuthError(message, status=status)
        retry_codes = {1, 2, -1, -2}
        if error.get("is_transient") or (code in retry_codes and subcode != _EXPIRED_CONTAINER):
            raise TransientProviderError(message, status=status)
        raise PermanentProviderError(message, status=status)

    async def _call(
        self, creds: AccountCredentials, method: str, path: str, params: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        # Instagram documents the token as a query parameter on every Graph call.
        query = {**(params or {}), "access_token": creds.access_token}
        response = await send(self._client, method, f"/{self._version}/{path}", service=SERVICE, params=query)
        return json_object(response, SERVICE)

    # -- quota ---------------------------------------------------------------------------------------

    async def publishing_quota(self, creds: AccountCredentials) -> PublishingQuota:
        body = await self._call(
            creds,
            "GET",
            f"{creds.platform_user_id}/content_publishing_limit",
            {"fields": "config,quota_usage"},
        )
        entry = (body.get("data") or [{}])[0]
        config = entry.get("config") or {}
        return PublishingQuota(
            usage=int(entry.get("quota_usage") or 0),
            total=int(config["quota_total"]),
            duration_seconds=int(config.get("quota_duration") or 86400),
        )

    async def _quota_wait(self, creds: AccountCredentials, quota: PublishingQuota) -> float:
        """When the oldest post in the rolling window leaves it; the whole window if we cannot tell."""
        window_start = datetime.now(UTC) - timedelta(seconds=quota.duration_seconds)
        try:
            page = await self.list_posts(creds, None, 50)
        except ProviderError:
            return float(quota.duration_seconds)
        in_window = [post.created_at for post in page.posts if post.created_at >= window_start]
        if not in_window:
            return float(quota.duration_seconds)
        return max(60.0, (min(in_window) - window_start).total_seconds())

    # -- media and posts -------------------------------------------------------------------------

    async def upload_media(
        self, creds: AccountCredentials, request: PostRequest, media: MediaInput
    ) -> UploadedMedia:
        params: dict[str, Any] = {"caption": request.text}
        if media.is_video:
            params.update(media_type=request.options.get("media_type", "REELS"), video_url=media.url)
        elif media.is_image:
            params["image_url"] = media.url
            if "media_type" in request.options:
                params["media_type"] = request.options["media_type"]
        else:
            raise PermanentProviderError(f"Instagram cannot publish {media.content_type}")
        body = await self._call(creds, "POST", f"{creds.platform_user_id}/media", params)
        container = UploadedMedia(media=media, platform_media_id=str(body["id"]), status="processing")
        return await self.poll_media(creds, container)

    async def poll_media(self, creds: AccountCredentials, media: UploadedMedia) -> UploadedMedia:
        if media.platform_media_id is None:
            return media
        body = await self._call(creds, "GET", media.platform_media_id, {"fields": "status_code,status"})
        code = body.get("status_code")
        if code in ("FINISHED", "PUBLISHED"):
            return media.model_copy(update={"status": "ready", "check_after": None})
        if code in ("ERROR", "EXPIRED"):
            detail = body.get("status") or code
            return media.model_copy(update={"status": "failed", "error": f"container {code}: {detail}"})
        return media.model_copy(update={"status": "processing", "check_after": self._poll_interval})

    async def create_post(
        self, creds: AccountCredentials, request: PostRequest, media: list[UploadedMedia]
    ) -> PublishedPost:
        if len(media) != 1:
            raise PermanentProviderError(
                f"this adapter publishes exactly one Instagram media, got {len(media)}"
            )
        container = media[0]
        if container.status != "ready" or container.platform_media_id is None:
            raise PermanentProviderError("the Instagram container must be FINISHED before publishing")
        quota = await self.publishing_quota(creds)
        if quota.exhausted:
            raise TransientProviderError(
                f"Instagram publishing limit reached: {quota.usage}/{quota.total} "
                f"per {quota.duration_seconds}s",
                retry_after=await self._quota_wait(creds, quota),
                status=429,
            )
        # media_publish takes no idempotency key; find_post reconciles instead.
        body = await self._call(
            creds,
            "POST",
            f"{creds.platform_user_id}/media_publish",
            {"creation_id": container.platform_media_id},
        )
        media_id = str(body["id"])
        logger.info("social.instagram.post_published media_id=%s key=%s", media_id, request.idempotency_key)
        published = PublishedPost(tracking_id=media_id, platform_post_id=media_id, status="published")
        try:
            return await self.poll_post(creds, published)
        except ProviderError as exc:
            # The post is live: failing now would invite a retry that publishes it twice.
            logger.warning(
                "social.instagram.permalink_unavailable media_id=%s error=%s", media_id, exc.message
            )
            return published

    async def poll_post(self, creds: AccountCredentials, post: PublishedPost) -> PublishedPost:
        body = await self._call(creds, "GET", post.tracking_id, {"fields": "id,permalink"})
        return post.model_copy(
            update={
                "status": "published",
                "platform_post_id": str(body.get("id") or post.tracking_id),
                "url": body.get("permalink"),
                "check_after": None,
            }
        )

    async def delete_post(self, creds: AccountCredentials, platform_post_id: str) -> None:
        raise UnsupportedOperation(
            "Instagram Login tokens cannot delete media; Meta allows deletion only through Facebook Login"
        )

    async def find_post(
        self, creds: AccountCredentials, request: PostRequest, since: datetime
    ) -> PublishedPost | None:
        found = await find_in_recent(lambda cursor: self.list_posts(creds, cursor, 25), request, since)
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
        params: dict[str, Any] = {"fields": _MEDIA_FIELDS, "limit": min(max(limit, 1), _MAX_PAGE)}
        if cursor:
            params["after"] = cursor
        if since is not None:
            # Graph time-based paging: a Unix timestamp on the media edge.
            params["since"] = int(since.timestamp())
        body = await self._call(creds, "GET", f"{creds.platform_user_id}/media", params)
        posts = [_imported(item) for item in body.get("data") or []]
        paging = body.get("paging") or {}
        # Graph pages always carry cursors; only ``next`` says another page exists.
        next_cursor = paging.get("cursors", {}).get("after") if paging.get("next") else None
        return PostPage(posts=posts, next_cursor=next_cursor)

    async def fetch_account_metrics(self, creds: AccountCredentials, as_of: datetime | None = None) -> AccountMetrics:
        body = await self._call(creds, "GET", "me", {"fields": "user_id,followers_count"})
        followers = body.get("followers_count")
        count = int(followers) if followers is not None else None
        return AccountMetrics(followers=count, collected_at=datetime.now(UTC))

    async def fetch_metrics(
        self, creds: AccountCredentials, platform_post_id: str, as_of: datetime | None = None
    ) -> PostMetrics:
        body = await self._call(creds, "GET", f"{platform_post_id}/insights", {"metric": ",".join(_INSIGHTS)})
        values: dict[str, int] = {}
        for metric in body.get("data") or []:
            total = metric.get("total_value") or {}
            points = metric.get("values") or [{}]
            value = total.get("value", points[-1].get("value"))
            if metric.get("name") in _INSIGHTS and value is not None:
                values[_INSIGHTS[metric["name"]]] = int(value)
        return PostMetrics(platform_post_id=platform_post_id, collected_at=datetime.now(UTC), **values)

    # -- OAuth (Business Login for Instagram) ------------------------------------------------------

    def code_challenge(self, code_verifier: str) -> str:
        return pkce.s256_challenge(code_verifier)

    def authorize_url(self, state: str, code_challenge: str, redirect_uri: str) -> str:
        # Business Login for Instagram documents no PKCE parameters; ``state`` still guards against CSRF.
        query = urlencode(
            {
                "client_id": self._client_id,
                "redirect_uri": redirect_uri,
                "response_type": "code",
                "scope": ",".join(self._scopes),
                "state": state,
            }
        )
        return f"{self._authorize_endpoint}?{query}"

    async def exchange_code(self, code: str, code_verifier: str, redirect_uri: str) -> TokenSet:
        short = await token_request(
            self._client,
            "POST",
            self._token_endpoint,
            service=f"{SERVICE} OAuth",
            data={
                "client_id": self._client_id,
                "client_secret": self._client_secret,
                "grant_type": "authorization_code",
                "redirect_uri": redirect_uri,
                "code": code,
            },
        )
        short = (short.get("data") or [short])[0]
        # The code yields a one-hour token; publishing needs the 60-day one.
        long = await token_request(
            self._client,
            "GET",
            "/access_token",
            service=f"{SERVICE} OAuth",
            params={
                "grant_type": "ig_exchange_token",
                "client_secret": self._client_secret,
                "access_token": short["access_token"],
            },
        )
        me = await self._call(
            AccountCredentials(access_token=long["access_token"], platform_user_id=""),
            "GET",
            "me",
            {"fields": "user_id,username"},
        )
        permissions = short.get("permissions") or ""
        scopes = permissions if isinstance(permissions, list) else str(permissions).split(",")
        return TokenSet(
            access_token=long["access_token"],
            expires_at=expires_in(long.get("expires_in")),
            scopes=[scope for scope in scopes if scope],
            platform_user_id=str(me.get("user_id") or short.get("user_id")),
            username=me.get("username"),
        )

    async def refresh_token(self, creds: AccountCredentials) -> TokenSet:
        # Instagram has no refresh token: a long-lived token (at least a day old) refreshes itself.
        body = await token_request(
            self._client,
            "GET",
            "/refresh_access_token",
            service=f"{SERVICE} OAuth",
            params={"grant_type": "ig_refresh_token", "access_token": creds.access_token},
        )
        return TokenSet(
            access_token=body["access_token"],
            expires_at=expires_in(body.get("expires_in")),
            platform_user_id=creds.platform_user_id,
        )
