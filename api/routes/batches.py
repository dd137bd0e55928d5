"""``/content/generate`` and ``/batches``: start a content batch, follow it, cancel it."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, status

from api.auth import ContentGenerate, ContentRead
from api.deps import DEFAULT_PAGE_SIZE, Cursor, Limit, SessionDep, SettingsDep, StorageDep, TemporalDep
from api.presenters import batch_out
from api.schemas.common import ErrorResponse, ListResponse
from api.schemas.content import BatchOut, BatchStatus, GenerateBody
from api.services import generation as service
from contracts.generation import GenerationOptions
from core.errors import Conflict
from store.repositories.batches import BatchRepository

router = APIRouter(tags=["batches"])

_FINISHED = ("completed", "partially_failed", "failed", "cancelled")


@router.post(
    "/content/generate",
    response_model=BatchOut,
    status_code=status.HTTP_202_ACCEPTED,
    summary="Generate a content batch",
    description=(
        "Starts a durable batch: each item gets a planned scene, a rendered image and a caption, and lands in "
        "`pending_review`. Follow it with `GET /batches/{id}`."
    ),
    responses={503: {"model": ErrorResponse, "description": "The workflow engine is unreachable"}},
)
async def generate_content(
    body: GenerateBody,
    principal: ContentGenerate,
    session: SessionDep,
    temporal: TemporalDep,
    settings: SettingsDep,
    storage: StorageDep,
) -> BatchOut:
    profile_id, influencer_id = await service.resolve_generation_target(session, principal.account_id, body)
    options = GenerationOptions(
        mood=body.mood,
        setting=body.setting,
        time_of_day=body.time_of_day,
        content_direction_id=body.content_direction_id,
        aesthetic_grade=body.aesthetic_grade,
    )
    batch = await service.start_batch(
        session,
        temporal,
        settings,
        account_id=principal.account_id,
        kind="content",
        count=body.count,
        influencer_id=influencer_id,
        profile_id=profile_id,
        options=options,
    )
    return batch_out(batch, await BatchRepository(session).items(batch.id), storage)


@router.get("/batches", response_model=ListResponse[BatchOut], summary="List generation batches")
async def list_batches(
    principal: ContentRead,
    session: SessionDep,
    storage: StorageDep,
    limit: Limit = DEFAULT_PAGE_SIZE,
    cursor: Cursor = None,
    kind: Annotated[Literal["content", "references", "previews"] | None, Query()] = None,
    batch_status: Annotated[BatchStatus | None, Query(alias="status")] = None,
) -> ListResponse[BatchOut]:
    repo = BatchRepository(session)
    page = await repo.list(principal.account_id, limit=limit, cursor=cursor, kind=kind, status=batch_status)
    return ListResponse(
        data=[batch_out(b, await repo.items(b.id), storage) for b in page.items], next_cursor=page.next_cursor
    )


@router.get("/batches/{batch_id}", response_model=BatchOut, summary="Get a generation batch status")
async def get_batch(batch_id: str, principal: ContentRead, session: SessionDep, storage: StorageDep) -> BatchOut:
    batch = await service.get_batch(session, principal.account_id, batch_id)
    return batch_out(batch, await BatchRepository(session).items(batch.id), storage)


@router.post(
    "/batches/{batch_id}/cancel",
    response_model=BatchOut,
    status_code=status.HTTP_202_ACCEPTED,
    summary="Cancel a batch",
    description="Items not yet started are cancelled; items already started finish. The batch ends `cancelled`.",
    responses={409: {"model": ErrorResponse, "description": "The batch has already finished"}},
)
async def cancel_batch(
    batch_id: str, principal: ContentGenerate, session: SessionDep, temporal: TemporalDep, storage: StorageDep
) -> BatchOut:
    batch = await service.get_batch(session, principal.account_id, batch_id)
    if batch.status in _FINISHED:
        raise Conflict(f"batch {batch_id} has already finished ({batch.status})", code="invalid_transition")
    client = await temporal.client()
    await client.get_workflow_handle(batch.workflow_id).cancel()
    return batch_out(batch, await BatchRepository(session).items(batch.id), storage)
