"""``/accounts``: connected social accounts. The local ``sandbox`` platform connects directly; X, TikTok
and Instagram connect through OAuth (``/accounts/connect/{platform}``, then ``/oauth/callback``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, status

from api.accounts import oauth, service
from api.accounts.schemas import (
    ConnectBody,
    ConnectStart,
    OAuthPlatform,
    Platform,
    SandboxFaultsIn,
    SandboxPostOut,
    SocialAccountCreate,
    SocialAccountOut,
    SocialAccountUpdate,
    SyncTriggered,
)
from api.analytics.schedules import AnalyticsSchedulesDep
from api.auth import ProfileRead, ProfileWrite
from api.deps import DEFAULT_PAGE_SIZE, CipherDep, Cursor, Limit, SessionDep, SettingsDep
from api.schemas import ErrorResponse
from core.errors import BadRequest
from core.wire import ListResponse
from domain.sandbox import sandbox_post_url

router = APIRouter(prefix="/accounts", tags=["accounts"])
callback_router = APIRouter(tags=["accounts"])


def _platforms(request: Request) -> dict[str, Any]:
    platforms: dict[str, Any] = request.app.state.platforms
    return platforms


@router.get("", response_model=ListResponse[SocialAccountOut], summary="List connected social accounts")
async def list_accounts(
    principal: ProfileRead,
    session: SessionDep,
    limit: Limit = DEFAULT_PAGE_SIZE,
    cursor: Cursor = None,
    profile_id: Annotated[str | None, Query(alias="profileId", max_length=40)] = None,
    platform: Annotated[Platform | None, Query()] = None,
) -> ListResponse[SocialAccountOut]:
    page = await service.list_accounts(
        session, principal.account_id, limit=limit, cursor=cursor, profile_id=profile_id, platform=platform
    )
    return ListResponse(data=[SocialAccountOut.model_validate(a) for a in page.items], next_cursor=page.next_cursor)


@router.post(
    "",
    response_model=SocialAccountOut,
    status_code=status.HTTP_201_CREATED,
    summary="Connect a sandbox account",
    responses={403: {"model": ErrorResponse, "description": "The sandbox platform is disabled on this server"}},
)
async def connect_account(
    body: SocialAccountCreate,
    principal: ProfileWrite,
    session: SessionDep,
    cipher: CipherDep,
    settings: SettingsDep,
    schedules: AnalyticsSchedulesDep,
) -> SocialAccountOut:
    account = await service.connect_sandbox_account(session, cipher, settings, principal.account_id, body)
    # Committed first: the Schedule's runs must find the account they sync.
    await session.commit()
    await schedules.ensure_quietly(account)
    return SocialAccountOut.model_validate(account)


@router.post(
    "/connect/{platform}",
    response_model=ConnectStart,
    status_code=status.HTTP_201_CREATED,
    summary="Start connecting an X, TikTok or Instagram account",
    description="OAuth 2.0 authorization code with PKCE: send the user to `authorizeUrl`; the platform sends "
    "them back to `redirectUri`, whose page calls `GET /oauth/callback` with the `code` and `state` and the "
    "same API key. The state is single-use and expires after `AUTOPERSONAS_OAUTH_STATE_TTL_SECONDS` "
    "(10 minutes by default).",
)
async def start_connect(
    platform: OAuthPlatform,
    body: ConnectBody,
    request: Request,
    principal: ProfileWrite,
    session: SessionDep,
    cipher: CipherDep,
    settings: SettingsDep,
) -> ConnectStart:
    return await oauth.start_connect(
        session, cipher, _platforms(request), principal.account_id, principal.api_key_id, platform, body,
        timedelta(seconds=settings.oauth_state_ttl_seconds),
    )


@router.get("/{account_id}", response_model=SocialAccountOut, summary="Get a connected account")
async def get_account(account_id: str, principal: ProfileRead, session: SessionDep) -> SocialAccountOut:
    return SocialAccountOut.model_validate(await service.get_social_account(session, principal.account_id, account_id))


@router.patch("/{account_id}", response_model=SocialAccountOut, summary="Attach an account to a profile")
async def update_account(
    account_id: str, body: SocialAccountUpdate, principal: ProfileWrite, session: SessionDep
) -> SocialAccountOut:
    account = await service.update_social_account(session, principal.account_id, account_id, body)
    return SocialAccountOut.model_validate(account)


@router.delete(
    "/{account_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Disconnect an account",
    description="Also removes the account's analytics Schedule; its stored metrics stay.",
)
async def disconnect_account(
    account_id: str, principal: ProfileWrite, session: SessionDep, schedules: AnalyticsSchedulesDep
) -> None:
    account = await service.get_social_account(session, principal.account_id, account_id)
    # The Schedule goes first: if Temporal is down the answer is 503 and the account stays connected.
    await schedules.remove(account.id)
    await service.disconnect(session, principal.account_id, account_id)


@router.post(
    "/{account_id}/analytics/sync",
    response_model=SyncTriggered,
    status_code=status.HTTP_202_ACCEPTED,
    summary="Sync this account's analytics now",
    description="Triggers the account's analytics Schedule (created here if the connect could not), so a run "
    "already going is not doubled. The run reads the metrics of the account's posts published in the last "
    "`AUTOPERSONAS_ANALYTICS_LOOKBACK_DAYS` days and its followers; `GET /analytics/*` show them when it ends.",
    responses={
        409: {"model": ErrorResponse, "description": "The account needs to be reconnected first"},
        503: {"model": ErrorResponse, "description": "The workflow engine is unreachable"},
    },
)
async def sync_analytics(
    account_id: str, principal: ProfileWrite, session: SessionDep, schedules: AnalyticsSchedulesDep
) -> SyncTriggered:
    account = await service.syncable_account(session, principal.account_id, account_id)
    # Release the connection before talking to Temporal.
    await session.commit()
    schedule_id = await schedules.trigger(account)
    return SyncTriggered(account_id=account.id, schedule_id=schedule_id, status="triggered")


@router.put(
    "/{account_id}/sandbox-faults",
    response_model=SocialAccountOut,
    summary="Make the sandbox platform fail this account's next posts on purpose",
)
async def set_sandbox_faults(
    account_id: str, body: SandboxFaultsIn, principal: ProfileWrite, session: SessionDep
) -> SocialAccountOut:
    account = await service.set_sandbox_faults(session, principal.account_id, account_id, body)
    return SocialAccountOut.model_validate(account)


@router.get(
    "/{account_id}/sandbox-posts",
    response_model=ListResponse[SandboxPostOut],
    summary="List the live posts of a sandbox account, newest first",
)
async def list_sandbox_posts(
    account_id: str,
    principal: ProfileRead,
    session: SessionDep,
    settings: SettingsDep,
    limit: Limit = DEFAULT_PAGE_SIZE,
    cursor: Cursor = None,
) -> ListResponse[SandboxPostOut]:
    account, page = await service.sandbox_posts(session, principal.account_id, account_id, limit=limit, cursor=cursor)
    data = [
        SandboxPostOut(
            id=post.id,
            url=sandbox_post_url(settings.public_base_url, account.handle, post.id),
            status="deleted" if post.deleted_at is not None else "published",
            text=post.text,
            media_urls=list(post.media_urls),
            idempotency_key=post.idempotency_key,
            created_at=post.created_at,
        )
        for post in page.items
    ]
    return ListResponse(data=data, next_cursor=page.next_cursor)


@callback_router.get(
    "/oauth/callback",
    response_model=SocialAccountOut,
    summary="Finish connecting an account",
    description="Called with the `state` and `code` the platform returned, and with the same API key that "
    "started the connection (`Authorization: Bearer`): a state is bound to that key, works once, and expires "
    "after `AUTOPERSONAS_OAUTH_STATE_TTL_SECONDS`. Tokens are stored encrypted.",
    responses={
        400: {"model": ErrorResponse, "description": "Unknown, expired, used or foreign state, or the user declined"},
        401: {"model": ErrorResponse, "description": "Missing, malformed, unknown or revoked API key"},
    },
)
async def oauth_callback(
    request: Request,
    principal: ProfileWrite,
    session: SessionDep,
    cipher: CipherDep,
    schedules: AnalyticsSchedulesDep,
    state: Annotated[str, Query(min_length=1, max_length=200)],
    code: Annotated[str | None, Query(max_length=2000)] = None,
    error: Annotated[str | None, Query(max_length=500)] = None,
) -> SocialAccountOut:
    if error or not code:
        raise BadRequest(f"the platform did not grant access: {error or 'no code returned'}", code="oauth_declined")
    account = await oauth.finish_connect(session, cipher, _platforms(request), principal.api_key_id, state, code)
    await session.commit()
    await schedules.ensure_quietly(account)
    return SocialAccountOut.model_validate(account)
