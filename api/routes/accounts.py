"""``/accounts``: connected social accounts. The local ``sandbox`` platform connects directly."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from api.auth import ProfileRead, ProfileWrite
from api.deps import DEFAULT_PAGE_SIZE, CipherDep, Cursor, Limit, SessionDep
from api.schemas.common import ListResponse
from api.schemas.profiles import Platform, SocialAccountCreate, SocialAccountOut, SocialAccountUpdate
from api.services import profiles as service
from store.repositories.profiles import SocialAccountRepository

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
