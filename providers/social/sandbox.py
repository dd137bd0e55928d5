"""The local sandbox platform's adapter: the embedded default social network, hosted by our own API process
under ``/sandbox/v1`` (see ``api/routes/sandbox.py``).

It speaks plain HTTP like the real adapters, so publishing meets the same typed errors here as against X:
injected 503s and 429s are ``TransientProviderError`` (429 with ``retry_after``), a refusal is a
``PermanentProviderError``, a wrong token a ``ProviderAuthError``, a client timeout a transient error.
Sandbox accounts connect directly (``POST /api/v1/accounts``), so there is no OAuth flow, and their
tokens never expire."""

from __future__ import annotations

import hashlib
import logging
from datetime import UTC, datetime
from typing import Any

import httpx

from core.errors import PermanentProviderError
from domain.sandbox import sandbox_media_type
from providers.http import send
from providers.social import pkce
from providers.social._shared import CLOCK_SKEW, bearer, json_object, parse_time, post_matches
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

SERVICE = "Sandbox"
MAX_KEY_LENGTH = 200  # what the sandbox stores; longer keys are sent as their digest
_FIND_PAGE_SIZE = 100
_FIND_MAX_PAGES = 10
_NO_OAUTH = "sandbox accounts connect directly via POST /api/v1/accounts"


def wire_key(idempotency_key: str) -> str:
    """The idempotency key as sent, the same on every call, so ``find_post`` compares like with like."""
    if len(idempotency_key) <= MAX_KEY_LENGTH:
        return idempotency_key
    return "sha256:" + hashlib.sha256(idempotency_key.encode()).hexdigest()


def _imported(body: dict[str, Any]) -> ImportedPost:
    urls = [str(url) for url in body.get("mediaUrls", [])]
    # The sandbox serves each media's kind; an older body without it is typed by the URL, as the sandbox does.
    typed = body.get("media") or [{"url": url, "type": sandbox_media_type(url)} for url in urls]
    return ImportedPost(
        platform_post_id=str(body["id"]),
        url=body.get("url"),
        text=body.get("text", ""),
        media_urls=urls,
        media=[ImportedMedia(url=str(item["url"]), media_type=item["type"]) for item in typed],
        created_at=parse_time(body["createdAt"]),
        metrics=_metrics(str(body["id"]), body["metrics"]) if body.get("metrics") else None,
    )


def _metrics(post_id: str, body: dict[str, Any]) -> PostMetrics:
    def counter(name: str) -> int | None:
        value = body.get(name)
        return int(value) if value is not None else None

    return PostMetrics(
        platform_post_id=post_id,
        likes=int(body["likes"]),
        views=int(body["views"]),
        comments=counter("comments"),
        shares=counter("shares"),
        collected_at=parse_time(body["at"]) if body.get("at") else datetime.now(UTC),
    )


def _at(as_of: datetime | None) -> dict[str, str]:
    return {"at": as_of.isoformat()} if as_of is not None else {}


def _published(body: dict[str, Any]) -> PublishedPost:
    post_id = str(body["id"])
    if body.get("status") == "deleted":
        return PublishedPost(tracking_id=post_id, platform_post_id=post_id, status="failed", error="post was deleted")
    return PublishedPost(tracking_id=post_id, platform_post_id=post_id, status="published", url=body.get("url"))


class SandboxPlatform:
    """``base_url`` is the root of the API process hosting the sandbox (``settings.public_base_url``)."""

    name = "sandbox"

    def __init__(self, base_url: str, timeout: float = 10.0) -> None:
        self._client = httpx.AsyncClient(base_url=f"{base_url.rstrip('/')}/sandbox/v1", timeout=timeout)

    async def aclose(self) -> None:
        await self._client.aclose()

    async def _call(self, creds: AccountCredentials, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return await send(
            self._client,
            method,
            f"/users/{creds.platform_user_id}{path}",
            service=SERVICE,
            headers=bearer(creds.access_token),
            **kwargs,
        )

    async def _json(self, creds: AccountCredentials, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        return json_object(await self._call(creds, method, path, **kwargs), SERVICE)

    # -- media: the sandbox takes media by URL and is ready at once --------------------------------

    async def upload_media(self, creds: AccountCredentials, request: PostRequest, media: MediaInput) -> UploadedMedia:
        body = await self._json(creds, "POST", "/media", json={"url": media.url, "contentType": media.content_type})
        return UploadedMedia(media=media, platform_media_id=str(body["id"]), status="ready")

    async def poll_media(self, creds: AccountCredentials, media: UploadedMedia) -> UploadedMedia:
        return media if media.status == "failed" else media.model_copy(update={"status": "ready", "check_after": None})

    # -- posts -----------------------------------------------------------------------------------

    async def create_post(
        self, creds: AccountCredentials, request: PostRequest, media: list[UploadedMedia]
    ) -> PublishedPost:
        if any(item.status != "ready" or not item.platform_media_id for item in media):
            raise PermanentProviderError("sandbox media must be uploaded before the post is created")
        payload = {
            "text": request.text,
            "mediaIds": [item.platform_media_id for item in media],
            "idempotencyKey": wire_key(request.idempotency_key),
        }
        response = await self._call(creds, "POST", "/posts", json=payload)
        body = json_object(response, SERVICE)
        # 200 instead of 201: the sandbox already had a post for this key and returned it, not a new one.
        event = "social.sandbox.post_created" if response.status_code == 201 else "social.sandbox.post_replayed"
        logger.info("%s post_id=%s key=%s", event, body["id"], request.idempotency_key)
        return _published(body)

    async def poll_post(self, creds: AccountCredentials, post: PublishedPost) -> PublishedPost:
        try:
            body = await self._json(creds, "GET", f"/posts/{post.tracking_id}")
        except PermanentProviderError as exc:
            if exc.status != 404:
                raise
            return post.model_copy(update={"status": "failed", "error": "post not found (deleted?)"})
        return _published(body)

    async def delete_post(self, creds: AccountCredentials, platform_post_id: str) -> None:
        await self._call(creds, "DELETE", f"/posts/{platform_post_id}")

    async def find_post(self, creds: AccountCredentials, request: PostRequest, since: datetime) -> PublishedPost | None:
        """The post carrying this request's idempotency key; failing that, a post created without any key
        whose text and media count match. Posts with another key belong to other requests, however alike."""
        key = wire_key(request.idempotency_key)
        unkeyed: list[ImportedPost] = []
        cursor: str | None = None
        for _ in range(_FIND_MAX_PAGES):
            params: dict[str, Any] = {"since": (since - CLOCK_SKEW).isoformat(), "limit": _FIND_PAGE_SIZE}
            if cursor:
                params["cursor"] = cursor
            body = await self._json(creds, "GET", "/posts", params=params)
            for item in body.get("data", []):
                if item.get("idempotencyKey") == key:
                    return _published(item)
                if item.get("idempotencyKey") is None:
                    unkeyed.append(_imported(item))
            cursor = body.get("nextCursor")
            if not cursor:
                break
        for post in unkeyed:
            if post_matches(post, request, since, max_text=None):
                return PublishedPost(
                    tracking_id=post.platform_post_id,
                    platform_post_id=post.platform_post_id,
                    status="published",
                    url=post.url,
                )
        return None

    async def list_posts(
        self,
        creds: AccountCredentials,
        cursor: str | None = None,
        limit: int = 20,
        since: datetime | None = None,
    ) -> PostPage:
        params: dict[str, Any] = {"limit": min(max(limit, 1), 100)}
        if cursor:
            params["cursor"] = cursor
        if since is not None:
            params["since"] = since.isoformat()
        body = await self._json(creds, "GET", "/posts", params=params)
        return PostPage(posts=[_imported(item) for item in body.get("data", [])], next_cursor=body.get("nextCursor"))

    async def fetch_metrics(
        self, creds: AccountCredentials, platform_post_id: str, as_of: datetime | None = None
    ) -> PostMetrics:
        try:
            body = await self._json(creds, "GET", f"/posts/{platform_post_id}/metrics", params=_at(as_of))
        except PermanentProviderError as exc:
            if exc.status == 404:
                gone = f"sandbox post {platform_post_id} is gone (deleted on the platform)"
                raise PostNotFound(gone, status=404) from exc
            raise
        return _metrics(platform_post_id, body)

    async def fetch_account_metrics(self, creds: AccountCredentials, as_of: datetime | None = None) -> AccountMetrics:
        body = await self._json(creds, "GET", "/profile", params=_at(as_of))
        return AccountMetrics(followers=int(body["followers"]), collected_at=datetime.now(UTC))

    # -- tokens: issued at connect time, never expiring --------------------------------------------

    async def refresh_token(self, creds: AccountCredentials) -> TokenSet:
        return TokenSet(
            access_token=creds.access_token,
            refresh_token=creds.refresh_token,
            platform_user_id=creds.platform_user_id,
            username=creds.extra.get("username"),
        )

    def code_challenge(self, code_verifier: str) -> str:
        return pkce.s256_challenge(code_verifier)

    def authorize_url(self, state: str, code_challenge: str, redirect_uri: str) -> str:
        raise UnsupportedOperation(_NO_OAUTH)

    async def exchange_code(self, code: str, code_verifier: str, redirect_uri: str) -> TokenSet:
        raise UnsupportedOperation(_NO_OAUTH)
