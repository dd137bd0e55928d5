"""``/content/{id}/publish``: publish now or later, follow it, retry failed targets, pull it back."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Response, status

from api.auth import PublishingWrite
from api.deps import SessionDep
from api.publishing import service
from api.publishing.schemas import PublishBody, PublishStatusOut
from api.schemas import ErrorResponse
from api.starter import StarterDep
from domain.publishing import FINISHED_PUBLICATION_STATUSES

router = APIRouter(prefix="/content", tags=["publishing"])

_CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {"model": ErrorResponse, "description": "Not allowed in the item's status, or a publish is running"},
    503: {"model": ErrorResponse, "description": "The workflow engine is unreachable"},
}


@router.post(
    "/{content_id}/publish",
    response_model=PublishStatusOut,
    status_code=status.HTTP_202_ACCEPTED,
    summary="Publish a content item",
    description=(
        "The item must be `approved` (or already published, to post it again). Without a body it goes now to "
        "every account connected to the item's profile. `scheduledAt` waits on a durable timer; retries back "
        "off and never post twice."
    ),
    responses=_CONFLICT,
)
async def publish(
    content_id: str,
    principal: PublishingWrite,
    starter: StarterDep,
    body: Annotated[PublishBody | None, Body()] = None,
) -> PublishStatusOut:
    return await service.publish(starter, principal.account_id, content_id, body or PublishBody())


@router.get("/{content_id}/publish/status", response_model=PublishStatusOut, summary="Get publish status")
async def publish_status(content_id: str, principal: PublishingWrite, session: SessionDep) -> PublishStatusOut:
    return await service.status(session, principal.account_id, content_id)


@router.post(
    "/{content_id}/publish/retry",
    response_model=PublishStatusOut,
    status_code=status.HTTP_202_ACCEPTED,
    summary="Retry a failed publish",
    description="Publishes again only the targets that failed in the latest round.",
    responses=_CONFLICT,
)
async def retry_publish(content_id: str, principal: PublishingWrite, starter: StarterDep) -> PublishStatusOut:
    return await service.retry(starter, principal.account_id, content_id)


@router.post(
    "/{content_id}/unpublish",
    response_model=PublishStatusOut,
    summary="Cancel a scheduled publish or pull a published item",
    description="Answers 200 when done, 202 while posts are still being deleted.",
    responses={**_CONFLICT, 202: {"model": PublishStatusOut, "description": "Still in progress"}},
)
async def unpublish(
    content_id: str,
    principal: PublishingWrite,
    starter: StarterDep,
    response: Response,
) -> PublishStatusOut:
    result = await service.unpublish(starter, principal.account_id, content_id)
    if any(t.status not in FINISHED_PUBLICATION_STATUSES for t in result.targets):
        response.status_code = status.HTTP_202_ACCEPTED
    return result
