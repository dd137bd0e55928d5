"""Connecting X, TikTok and Instagram accounts: start with an authorize URL, finish on the callback."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, status

from api.auth import ProfileWrite
from api.deps import CipherDep, SessionDep
from api.schemas.common import ErrorResponse
from api.schemas.profiles import ConnectBody, ConnectStart, SocialAccountOut
from api.services import oauth as service
from core.errors import BadRequest

router = APIRouter(prefix="/accounts", tags=["accounts"])
callback_router = APIRouter(tags=["accounts"])


def _platforms(request: Request) -> dict[str, Any]:
    platforms: dict[str, Any] = request.app.state.platforms
    return platforms


@router.post(
    "/connect/{platform}",
    response_model=ConnectStart,
    status_code=status.HTTP_201_CREATED,
    summary="Start connecting an X, TikTok or Instagram account",
    description="OAuth 2.0 authorization code with PKCE: send the user to `authorizeUrl`; the platform sends "
    "them back to `redirectUri`, whose page calls `GET /oauth/callback` with the `code` and `state`.",
)
async def start_connect(
    platform: str,
    body: ConnectBody,
    request: Request,
    principal: ProfileWrite,
    session: SessionDep,
    cipher: CipherDep,
) -> ConnectStart:
    return await service.start_connect(session, cipher, _platforms(request), principal.account_id, platform, body)


@callback_router.get(
    "/oauth/callback",
    response_model=SocialAccountOut,
    summary="Finish connecting an account",
    description="Called with the `state` and `code` the platform returned; the `state` identifies the account "
    "that started the connection, so no API key is needed. Tokens are stored encrypted.",
    responses={400: {"model": ErrorResponse, "description": "Unknown or expired state, or the user declined"}},
)
async def oauth_callback(
    request: Request,
    session: SessionDep,
    cipher: CipherDep,
    state: Annotated[str, Query(min_length=1, max_length=200)],
    code: Annotated[str | None, Query(max_length=2000)] = None,
    error: Annotated[str | None, Query(max_length=500)] = None,
) -> SocialAccountOut:
    if error or not code:
        raise BadRequest(f"the platform did not grant access: {error or 'no code returned'}", code="oauth_declined")
    account = await service.finish_connect(session, cipher, _platforms(request), state, code)
    return SocialAccountOut.model_validate(account)
