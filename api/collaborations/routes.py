"""``/collaborations``: create a multi-character collaboration (a batch of kind ``collaboration``), list
them (filter ``influencerId``) and read one. Progress and cancel are the batch's: ``/batches/{batchId}``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from api.auth import CharacterRead, CharacterWrite
from api.collaborations import service
from api.collaborations.schemas import CollaborationCreate, CollaborationOut
from api.deps import DEFAULT_PAGE_SIZE, Cursor, Limit, SessionDep
from api.schemas import ErrorResponse
from api.starter import StarterDep
from core.wire import ListResponse

router = APIRouter(prefix="/collaborations", tags=["collaborations"])


@router.post(
    "",
    response_model=CollaborationOut,
    status_code=status.HTTP_202_ACCEPTED,
    summary="Create a multi-character collaboration",
    description=(
        "Two to four of your influencers together in `count` items (1-20, default 4). Runs as a batch of kind "
        "`collaboration` (`batchId`: follow or cancel it under `/batches`); its items land in `pending_review` "
        "on `profileId`, list every member in `influencerIds` and appear under each member's `influencerId` filter."
    ),
    responses={503: {"model": ErrorResponse, "description": "The workflow engine is unreachable"}},
)
async def create_collaboration(
    body: CollaborationCreate, principal: CharacterWrite, starter: StarterDep
) -> CollaborationOut:
    collaboration = await service.create_collaboration(starter, principal.account_id, body)
    return await service.get_collaboration(starter.session, principal.account_id, collaboration.id)


@router.get("", response_model=ListResponse[CollaborationOut], summary="List collaborations")
async def list_collaborations(
    principal: CharacterRead,
    session: SessionDep,
    limit: Limit = DEFAULT_PAGE_SIZE,
    cursor: Cursor = None,
    influencer_id: Annotated[
        str | None, Query(alias="influencerId", min_length=1, max_length=40, description="Only those with this member")
    ] = None,
) -> ListResponse[CollaborationOut]:
    data, next_cursor = await service.list_collaborations(
        session, principal.account_id, limit=limit, cursor=cursor, influencer_id=influencer_id
    )
    return ListResponse(data=data, next_cursor=next_cursor)


@router.get("/{collaboration_id}", response_model=CollaborationOut, summary="Get a collaboration")
async def get_collaboration(collaboration_id: str, principal: CharacterRead, session: SessionDep) -> CollaborationOut:
    return await service.get_collaboration(session, principal.account_id, collaboration_id)
