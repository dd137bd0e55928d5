"""Helpers the platform adapters share: the HTTP client, token calls, media bytes and reconciliation."""

from __future__ import annotations

import html
import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from core.errors import PermanentProviderError, ProviderAuthError, ProviderError, TransientProviderError
from providers.http import send
from providers.social.base import ImportedPost, MediaInput, PostPage, PostRequest

ResponseHook = Callable[[httpx.Response], Awaitable[None]]

# Platform clocks and ours disagree a little; a post stamped slightly before ``since`` may still be ours.
CLOCK_SKEW = timedelta(seconds=60)
_URL = re.compile(r"https?://\S+")
_SPACE = re.compile(r"\s+")


def build_client(base_url: str, timeout: float, on_response: ResponseHook) -> httpx.AsyncClient:
    """One client per adapter. ``on_response`` runs before ``providers.http.send`` maps the status, so a
    platform can raise its own typed errors (rate-limit reset headers, errors inside 200 bodies) and
    leave every other outcome to the shared mapping."""
    return httpx.AsyncClient(base_url=base_url, timeout=timeout, event_hooks={"response": [on_response]})


def json_object(response: httpx.Response, service: str) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError as exc:
        # A 2xx without JSON comes from a proxy or an outage page, not from the API: worth a retry.
        raise TransientProviderError(f"{service} answered {response.status_code} without JSON") from exc
    if not isinstance(body, dict):
        raise TransientProviderError(f"{service} answered an unexpected JSON shape")
    return body


async def read_body(response: httpx.Response) -> Any:
    """The parsed JSON body of a response inside an event hook (hooks see unread streams)."""
    await response.aread()
    try:
        return response.json()
    except ValueError:
        return None


def oauth_error(body: Any, status: int, service: str) -> ProviderError | None:
    """The typed error for an OAuth endpoint's refusal: RFC 6749 ``{"error", "error_description"}``
    (TikTok sometimes sends it with 200) or Instagram's ``{"error_type", "error_message"}``. Response
    hooks raise it so the description survives into the message."""
    if not isinstance(body, dict):
        return None
    if isinstance(body.get("error"), str):
        code, detail = body["error"], body.get("error_description") or ""
    elif isinstance(body.get("error_type"), str) and "error_message" in body:
        code, detail = body["error_type"], body["error_message"]
    else:
        return None
    message = f"{service} OAuth refused ({code}): {detail}"
    if status >= 500 or code in ("server_error", "temporarily_unavailable"):
        return TransientProviderError(message, status=status)
    # A refused grant (used code, wrong verifier, revoked refresh token): only reconnecting helps.
    return ProviderAuthError(message, status=status)


async def token_request(
    client: httpx.AsyncClient, method: str, url: str, *, service: str, **kwargs: Any
) -> dict[str, Any]:
    """Call an OAuth token endpoint; any other permanent refusal there is an auth error too."""
    try:
        response = await send(client, method, url, service=service, **kwargs)
    except ProviderAuthError:
        raise
    except PermanentProviderError as exc:
        raise ProviderAuthError(exc.message, status=exc.status) from exc
    return json_object(response, service)


def expires_in(seconds: Any) -> datetime | None:
    if seconds is None:
        return None
    return datetime.now(UTC) + timedelta(seconds=float(seconds))


async def media_bytes(client: httpx.AsyncClient, media: MediaInput, *, service: str) -> bytes:
    """The media's bytes: given by the caller, or downloaded from its public URL."""
    if media.data is not None:
        return media.data
    response = await send(client, "GET", media.url, service=f"{service} media download")
    return response.content


def parse_time(value: Any) -> datetime:
    """ISO 8601 (X, Instagram's ``+0000`` offsets) or Unix seconds (TikTok), always timezone-aware."""
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC)
    text = str(value)
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    elif re.search(r"[+-]\d{4}$", text):
        text = f"{text[:-2]}:{text[-2:]}"
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def normalize_text(text: str) -> str:
    """Text as compared for reconciliation: platforms escape HTML entities, rewrite links (X's t.co,
    including the link X appends for attached media) and trim whitespace, so those are ignored."""
    return _SPACE.sub(" ", _URL.sub("", html.unescape(text))).strip()


def post_matches(post: ImportedPost, request: PostRequest, since: datetime, *, max_text: int | None) -> bool:
    """Exact text (up to what the platform keeps, ``max_text``), same media count, created after ``since``."""
    if post.created_at < since - CLOCK_SKEW:
        return False
    if len(post.media_urls) != len(request.media):
        return False
    expected, actual = normalize_text(request.text), normalize_text(post.text)
    if max_text is not None and len(post.text) >= max_text:
        return expected.startswith(actual)
    return expected == actual


async def find_in_recent(
    list_page: Callable[[str | None], Awaitable[PostPage]],
    request: PostRequest,
    since: datetime,
    *,
    max_text: int | None = None,
    max_pages: int = 5,
) -> ImportedPost | None:
    """Walk the account's newest posts back to ``since`` and return the first that matches."""
    cursor: str | None = None
    for _ in range(max_pages):
        page = await list_page(cursor)
        for post in page.posts:
            if post_matches(post, request, since, max_text=max_text):
                return post
        reached_older = any(post.created_at < since - CLOCK_SKEW for post in page.posts)
        if reached_older or page.next_cursor is None:
            return None
        cursor = page.next_cursor
    return None


def bearer(access_token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {access_token}"}
