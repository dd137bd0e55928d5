"""``/batches``: follow generation batches and cancel them. They are started from the resource they
generate for (``/content/generate``, ``/influencers/{id}/generate-references``, ``.../previews``)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, status

from api.auth import ContentGenerate, ContentRead
from api.batches import service
from api.batches.schemas import BatchOut, batch_out
from api.deps import DEFAULT_PAGE_SIZE, Cursor, Limit, SessionDep, StorageDep
from api.schemas import ErrorResponse
from api.starter import StarterDep
from core.wire import ListResponse
from domain.batches import BatchKind, BatchStatus

router = APIRouter(prefix="/batches", tags=["batches"])


@router.get(
    "",
    response_model=ListResponse[BatchOut],
    summary="List generation batches",
    description="Counts only; items are on `GET /batches/{id}`, or here with `include=items`.",
)
async def list_batches(
    principal: ContentRead,
    session: SessionDep,
    storage: StorageDep,
    limit: Limit = DEFAULT_PAGE_SIZE,
    cursor: Cursor = None,
    kind: Annotated[BatchKind | None, Query()] = None,
    batch_status: Annotated[BatchStatus | None, Query(alias="status")] = None,
    include: Annotated[Literal["items"] | None, Query(description="`items` adds each batch's items")] = None,
) -> ListResponse[BatchOut]:
    page, counts = await service.list_batches(
        session,
        principal.account_id,
        limit=limit,
        cursor=cursor,
        kind=kind,
        status=batch_status,
    )
    data = [
        batch_out(b, storage, counts=counts[b.id], items=await service.items_of(session, b) if include else None)
        for b in page.items
    ]
    return ListResponse(data=data, next_cursor=page.next_cursor)


@router.get("/{batch_id}", response_model=BatchOut, summary="Get a generation batch status")
async def get_batch(batch_id: str, principal: ContentRead, session: SessionDep, storage: StorageDep) -> BatchOut:
    batch = await service.get_batch(session, principal.account_id, batch_id)
    return batch_out(batch, storage, items=await service.items_of(session, batch))


@router.post(
    "/{batch_id}/cancel",
    response_model=BatchOut,
    status_code=status.HTTP_202_ACCEPTED,
    summary="Cancel a batch",
    description="Items not yet started are cancelled; items already started finish. The batch ends `cancelled`.",
    responses={409: {"model": ErrorResponse, "description": "The batch has already finished"}},
)
async def cancel_batch(
    batch_id: str, principal: ContentGenerate, starter: StarterDep, session: SessionDep, storage: StorageDep
) -> BatchOut:
    batch = await service.cancel_batch(starter, principal.account_id, batch_id)
    return batch_out(batch, storage, items=await service.items_of(session, batch))
