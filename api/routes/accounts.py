"""``/accounts``: connected social accounts. The local ``sandbox`` platform connects directly."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from api.auth import ProfileRead, ProfileWrite
from api.deps import DEFAULT_PAGE_SIZE, CipherDep, Cursor, Limit, SessionDep, SettingsDep
from api.routes.sandbox import post_out
from api.schemas.common import ListResponse
from api.schemas.profiles import (
    Platform,
    SandboxFaultsIn,
    SandboxPostOut,
    SocialAccountCreate,
    SocialAccountOut,
    SocialAccountUpdate,
)
from api.services import profiles as service
from core.errors import ValidationFailed
from store.models import SocialAccount
from store.repositories.profiles import SocialAccountRepository
from store.repositories.sandbox import SandboxRepository

router = APIRouter(prefix="/accounts", tags=["accounts"])


@router.get("", response_model=ListResponse[SocialAccountOut], summary="List connected social accounts")
async def list_accounts(
    principal: ProfileRead,
    session: SessionDep,
    limit: Limit = DEFAULT_PAGE_SIZE,
    cursor: Cursor = None,
    profile_id: Annotated[str | None, Query(alias="profileId", max_length=40)] = None,
    platform: Annotated[Platform | None, Query()] = None,
) -> ListResponse[SocialAccountOut]:
    page = await SocialAccountRepository(session).list(
        principal.account_id, limit=limit, cursor=cursor, profile_id=profile_id, platform=platform
    )
    return ListResponse(data=[SocialAccountOut.model_validate(a) for a in page.items], next_cursor=page.next_cursor)


@router.post(
    "", response_model=SocialAccountOut, status_code=status.HTTP_201_CREATED, summary="Connect a sandbox account"
)
async def connect_account(
    body: SocialAccountCreate, principal: ProfileWrite, session: SessionDep, cipher: CipherDep
) -> SocialAccountOut:
    account = await service.connect_sandbox_account(session, cipher, principal.account_id, body)
    return SocialAccountOut.model_validate(account)


@router.get("/{account_id}", response_model=SocialAccountOut, summary="Get a connected account")
async def get_account(account_id: str, principal: ProfileRead, session: SessionDep) -> SocialAccountOut:
    return SocialAccountOut.model_validate(await service.get_social_account(session, principal.account_id, account_id))


@router.patch("/{account_id}", response_model=SocialAccountOut, summary="Attach an account to a profile")
async def update_account(
    account_id: str, body: SocialAccountUpdate, principal: ProfileWrite, session: SessionDep
) -> SocialAccountOut:
    account = await service.update_social_account(session, principal.account_id, account_id, body)
    return SocialAccountOut.model_validate(account)


@router.delete("/{account_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Disconnect an account")
async def disconnect_account(account_id: str, principal: ProfileWrite, session: SessionDep) -> None:
    account = await service.get_social_account(session, principal.account_id, account_id)
    await SocialAccountRepository(session).delete(account)


async def _sandbox_account(session: SessionDep, account_id: str, social_account_id: str) -> SocialAccount:
    account = await service.get_social_account(session, account_id, social_account_id)
    if account.platform != "sandbox":
        raise ValidationFailed(
            f"account {social_account_id} is on {account.platform}; only sandbox accounts have sandbox posts or faults",
            details=[{"field": "platform", "message": "must be sandbox"}],
        )
    return account


@router.put(
    "/{account_id}/sandbox-faults",
    response_model=SocialAccountOut,
    summary="Make the sandbox platform fail this account's next posts on purpose",
)
async def set_sandbox_faults(
    account_id: str, body: SandboxFaultsIn, principal: ProfileWrite, session: SessionDep
) -> SocialAccountOut:
    account = await _sandbox_account(session, principal.account_id, account_id)
    account.sandbox_faults = {} if body.mode == "none" else body.model_dump(mode="json", exclude_none=True)
    return SocialAccountOut.model_validate(await SocialAccountRepository(session).save(account))


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
    account = await _sandbox_account(session, principal.account_id, account_id)
    page = await SandboxRepository(session).list_posts(account.platform_user_id, limit=limit, cursor=cursor)
    data = [post_out(post, public_base_url=settings.public_base_url, handle=account.handle) for post in page.items]
    return ListResponse(data=data, next_cursor=page.next_cursor)
