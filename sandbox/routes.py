"""The local sandbox social network's own HTTP API, served by our API process outside ``/api/v1``.

It behaves like a real platform towards ``providers.social.sandbox.SandboxPlatform``: its own bearer
tokens (issued when a sandbox account is connected), platform user ids in paths, idempotency keys on
post creation, and failures on demand (``PUT /api/v1/accounts/{id}/sandbox-faults``), so tests can
prove that publishing retries without ever posting twice."""

from __future__ import annotations

import asyncio
import base64
import binascii
import hmac
import html
import logging
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response, status
from fastapi.responses import HTMLResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from core.errors import AppError, BadRequest, NotFound, RateLimited, ServiceUnavailable, Unauthorized, ValidationFailed
from core.wire import ListResponse
from domain.sandbox import sandbox_followers, sandbox_media_type, sandbox_post_engagement, sandbox_post_url
from sandbox.deps import DEFAULT_PAGE_SIZE, CipherDep, Cursor, Limit, SessionDep, SettingsDep
from sandbox.schemas import (
    SandboxMediaIn,
    SandboxMediaOut,
    SandboxMetricsOut,
    SandboxPost,
    SandboxPostIn,
    SandboxPostMedia,
    SandboxProfileOut,
)
from store.models import SandboxPost as SandboxPostRow
from store.models import SocialAccount
from store.repositories.sandbox import SandboxRepository

logger = logging.getLogger(__name__)

MEDIA_PREFIX = "sbxm_"
DEFAULT_TIMEOUT_FAULT_SECONDS = 5.0


_ERROR_SCHEMA = {"$ref": "#/components/schemas/ErrorResponse"}


def _errors(descriptions: dict[int, str]) -> dict[int | str, dict[str, Any]]:
    """Errors keep the API's one JSON shape; referenced by name, as the sandbox does not import the API."""
    return {
        code: {"description": text, "content": {"application/json": {"schema": _ERROR_SCHEMA}}}
        for code, text in descriptions.items()
    }


_COMMON_ERRORS = {
    401: "Missing or wrong sandbox access token for this user",
    404: "No such post (or it was deleted)",
    422: "Validation failed; details name the fields",
}
_BODY_ERRORS = {400: "The request body could not be parsed"}
_INJECTED_ERRORS = {
    400: "Injected permanent fault (the post is refused), or a body that could not be parsed",
    429: "Injected rate limit; see Retry-After",
    500: "Injected after_create fault: the post was created but the answer is lost",
    503: "Injected transient fault",
}

router = APIRouter(prefix="/sandbox", tags=["sandbox"])

sandbox_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="SandboxToken",
    description="The sandbox access token issued when the account was connected: `Bearer sbx_tok_...`",
)

UserId = Annotated[str, Path(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9_\-]+$")]
PostId = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_\-]+$")]


async def sandbox_user(
    user_id: UserId,
    session: SessionDep,
    cipher: CipherDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(sandbox_bearer)],
) -> SocialAccount:
    """The sandbox account the path names, if the bearer token is the one it was issued."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("missing sandbox access token: send Authorization: Bearer sbx_tok_...", code="invalid_token")
    account = await SandboxRepository(session).account_for_user(user_id)
    if account is None or account.encrypted_tokens is None:
        raise Unauthorized("invalid sandbox access token for this user", code="invalid_token")
    expected = str(cipher.decrypt(account.encrypted_tokens).get("access_token", ""))
    if not expected or not hmac.compare_digest(expected.encode(), credentials.credentials.strip().encode()):
        raise Unauthorized("invalid sandbox access token for this user", code="invalid_token")
    return account


SandboxUser = Annotated[SocialAccount, Depends(sandbox_user)]


def post_out(post: SandboxPostRow, *, public_base_url: str, handle: str) -> SandboxPost:
    return SandboxPost(
        id=post.id,
        url=sandbox_post_url(public_base_url, handle, post.id),
        status="deleted" if post.deleted_at is not None else "published",
        text=post.text,
        media_urls=list(post.media_urls),
        media=[SandboxPostMedia(url=str(url), type=sandbox_media_type(str(url))) for url in post.media_urls],
        idempotency_key=post.idempotency_key,
        created_at=post.created_at,
        metrics=metrics_for(post),
    )


def media_id(url: str) -> str:
    """Media ids carry their URL, so the sandbox keeps no media state and downloads nothing."""
    return MEDIA_PREFIX + base64.urlsafe_b64encode(url.encode()).decode().rstrip("=")


def media_url(identifier: str) -> str:
    error = ValidationFailed(
        f"mediaIds: {identifier[:60]!r} is not a media id this sandbox issued",
        details=[{"field": "mediaIds", "message": "unknown media id"}],
    )
    if not identifier.startswith(MEDIA_PREFIX):
        raise error
    encoded = identifier.removeprefix(MEDIA_PREFIX)
    try:
        url = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise error from exc
    if not url.startswith(("http://", "https://")):
        raise error
    return url


def metrics_for(post: SandboxPostRow, at: datetime | None = None) -> SandboxMetricsOut:
    """The post's engagement at ``at`` (now by default), growing with its age as ``domain.sandbox`` rules, on
    top of any stored counters."""
    at = at or datetime.now(UTC)
    grown = sandbox_post_engagement(post.id, at - post.created_at)
    return SandboxMetricsOut(
        likes=post.likes + grown["likes"],
        views=post.views + grown["views"],
        comments=grown["comments"],
        shares=grown["shares"],
        at=at,
    )


AtQuery = Annotated[
    datetime | None,
    Query(description="The instant to report the counters at (default now); engagement grows with age"),
]


def _instant(at: datetime | None) -> datetime:
    if at is None:
        return datetime.now(UTC)
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at


def _refusal(mode: str) -> AppError | None:
    """The error an injected fault answers with before any post is created."""
    if mode == "transient":
        return ServiceUnavailable("sandbox is temporarily unavailable (injected)", code="sandbox_unavailable")
    if mode == "rate_limit":
        return RateLimited("sandbox rate limit reached (injected)", headers={"Retry-After": "1"})
    if mode == "permanent":
        return BadRequest("sandbox refuses this post (injected permanent fault)", code="sandbox_rejected")
    return None


@router.post(
    "/v1/users/{user_id}/media",
    response_model=SandboxMediaOut,
    status_code=status.HTTP_201_CREATED,
    summary="Sandbox: register a media item by URL",
    responses=_errors({**_COMMON_ERRORS, **_BODY_ERRORS}),
)
async def upload_media(body: SandboxMediaIn, account: SandboxUser) -> SandboxMediaOut:
    return SandboxMediaOut(id=media_id(body.url), status="ready")


@router.post(
    "/v1/users/{user_id}/posts",
    response_model=SandboxPost,
    status_code=status.HTTP_201_CREATED,
    summary="Sandbox: publish a post (idempotent per idempotencyKey)",
    responses={
        200: {"model": SandboxPost, "description": "A post with this idempotencyKey exists already"},
        **_errors({**_COMMON_ERRORS, **_INJECTED_ERRORS}),
    },
)
async def create_post(
    body: SandboxPostIn, account: SandboxUser, session: SessionDep, settings: SettingsDep, response: Response
) -> SandboxPost:
    urls = [media_url(item) for item in body.media_ids]
    repo = SandboxRepository(session)
    fault = await repo.consume_fault(account.id)
    mode = str(fault["mode"]) if fault else None
    refusal = _refusal(mode) if mode else None
    if refusal is not None:
        # Commit before failing: the used-up fault must stick although this request is rolled back.
        await session.commit()
        logger.info("sandbox.fault_injected user=%s mode=%s", account.platform_user_id, mode)
        raise refusal
    post, created = await repo.create_post(account.platform_user_id, body.text, urls, body.idempotency_key)
    response.status_code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
    out = post_out(post, public_base_url=settings.public_base_url, handle=account.handle)
    if mode in ("after_create", "timeout") and fault is not None:
        # The post is durable before the client hears anything: exactly what a lost response looks like.
        await session.commit()
        logger.info("sandbox.fault_injected user=%s mode=%s post=%s", account.platform_user_id, mode, post.id)
        if mode == "after_create":
            raise AppError("sandbox failed after creating the post (injected)", code="sandbox_lost_response")
        await asyncio.sleep(float(fault.get("seconds") or DEFAULT_TIMEOUT_FAULT_SECONDS))
    return out


@router.get(
    "/v1/users/{user_id}/posts",
    response_model=ListResponse[SandboxPost],
    summary="Sandbox: the user's live posts, newest first",
    responses=_errors(_COMMON_ERRORS),
)
async def list_posts(
    account: SandboxUser,
    session: SessionDep,
    settings: SettingsDep,
    limit: Limit = DEFAULT_PAGE_SIZE,
    cursor: Cursor = None,
    since: Annotated[datetime | None, Query(description="Only posts created at or after this instant")] = None,
) -> ListResponse[SandboxPost]:
    if since is not None and since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    page = await SandboxRepository(session).list_posts(
        account.platform_user_id, limit=limit, cursor=cursor, since=since
    )
    data = [post_out(p, public_base_url=settings.public_base_url, handle=account.handle) for p in page.items]
    return ListResponse(data=data, next_cursor=page.next_cursor)


async def _live_post(session: SessionDep, account: SocialAccount, post_id: str) -> SandboxPostRow:
    post = await SandboxRepository(session).get(account.platform_user_id, post_id)
    if post is None:
        raise NotFound(f"post {post_id} not found")
    return post


@router.get(
    "/v1/users/{user_id}/posts/{post_id}",
    response_model=SandboxPost,
    summary="Sandbox: one live post",
    responses=_errors(_COMMON_ERRORS),
)
async def get_post(post_id: PostId, account: SandboxUser, session: SessionDep, settings: SettingsDep) -> SandboxPost:
    post = await _live_post(session, account, post_id)
    return post_out(post, public_base_url=settings.public_base_url, handle=account.handle)


@router.delete(
    "/v1/users/{user_id}/posts/{post_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Sandbox: delete a post (deleting it again is a no-op)",
    responses=_errors(_COMMON_ERRORS),
)
async def delete_post(post_id: PostId, account: SandboxUser, session: SessionDep) -> None:
    repo = SandboxRepository(session)
    # Deleted posts still answer 204, so a retried delete whose first answer was lost does not fail.
    post = await repo.get(account.platform_user_id, post_id, include_deleted=True)
    if post is None:
        raise NotFound(f"post {post_id} not found")
    await repo.soft_delete(post)


@router.get(
    "/v1/users/{user_id}/posts/{post_id}/metrics",
    response_model=SandboxMetricsOut,
    summary="Sandbox: a live post's counters",
    responses=_errors(_COMMON_ERRORS),
)
async def get_metrics(
    post_id: PostId, account: SandboxUser, session: SessionDep, at: AtQuery = None
) -> SandboxMetricsOut:
    return metrics_for(await _live_post(session, account, post_id), _instant(at))


@router.get(
    "/v1/users/{user_id}/profile",
    response_model=SandboxProfileOut,
    summary="Sandbox: the user's follower count",
    responses=_errors(_COMMON_ERRORS),
)
async def get_sandbox_profile(account: SandboxUser, at: AtQuery = None) -> SandboxProfileOut:
    instant = _instant(at)
    return SandboxProfileOut(
        followers=sandbox_followers(account.platform_user_id, instant - account.created_at), at=instant
    )


def _page(post: SandboxPostRow, account: SocialAccount) -> str:
    name = html.escape(account.display_name or account.handle)
    media = ""
    if post.media_urls:
        first = html.escape(str(post.media_urls[0]), quote=True)
        video = sandbox_media_type(str(post.media_urls[0])) == "video"
        media = f'<video src="{first}" controls></video>' if video else f'<img src="{first}" alt="">'
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{name} on Sandbox</title></head>\n<body><article>"
        f"<header><strong>{name}</strong> @{html.escape(account.handle)}</header>"
        f"<p>{html.escape(post.text)}</p>{media}"
        f'<footer><time datetime="{post.created_at.isoformat()}">{post.created_at:%Y-%m-%d %H:%M} UTC</time></footer>'
        "</article></body></html>\n"
    )


@router.get(
    "/@{handle}/{post_id}",
    response_class=HTMLResponse,
    summary="Sandbox: the public page of a post",
    responses={
        200: {"content": {"text/html": {"schema": {"type": "string"}}}},
        # Errors keep our JSON shape even here. Given as content, not as a model: FastAPI would document a
        # model under the route's text/html. ErrorResponse is registered by every /api/v1 route's errors.
        **{
            code: {"description": text, "content": {"application/json": {"schema": _ERROR_SCHEMA}}}
            for code, text in _COMMON_ERRORS.items()
            if code != 401
        },
    },
)
async def public_post_page(
    handle: Annotated[str, Path(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.]+$")],
    post_id: PostId,
    session: SessionDep,
) -> HTMLResponse:
    found = await SandboxRepository(session).get_public(handle, post_id)
    if found is None:
        raise NotFound(f"no sandbox post {post_id} by @{handle}")
    post, account = found
    return HTMLResponse(_page(post, account))
