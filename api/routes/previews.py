"""Reference packs and previews of an influencer's look."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, status

from api.auth import CharacterRead, CharacterWrite
from api.deps import DEFAULT_PAGE_SIZE, Cursor, Limit, SessionDep, SettingsDep, StorageDep, TemporalDep
from api.presenters import batch_out, influencer_out, preview_out
from api.schemas.common import ErrorResponse, ListResponse
from api.schemas.content import BatchOut, PreviewOut, PreviewsBody
from api.schemas.influencers import InfluencerOut
from api.services import generation as service
from api.services.influencers import adopt_preview, get_influencer
from contracts.generation import GenerationOptions
from core.errors import NotFound
from domain.vocabulary import VIEWS as REFERENCE_VIEWS
from store.repositories.batches import BatchRepository
from store.repositories.jobs import PreviewRepository

router = APIRouter(tags=["previews"])
_UNAVAILABLE: dict[int | str, dict[str, Any]] = {
    503: {"model": ErrorResponse, "description": "The workflow engine is unreachable"}
}


@router.post(
    "/influencers/{influencer_id}/generate-references",
    response_model=BatchOut,
    status_code=status.HTTP_202_ACCEPTED,
    summary="Generate 4-view reference pack",
    description="Front, three-quarter, profile and back views from the base prompt with one shared seed; each "
    "view replaces that view's reference image when it is done.",
    responses=_UNAVAILABLE,
)
async def generate_references(
    influencer_id: str,
    principal: CharacterWrite,
    session: SessionDep,
    temporal: TemporalDep,
    settings: SettingsDep,
    storage: StorageDep,
) -> BatchOut:
    influencer = await get_influencer(session, principal.account_id, influencer_id)
    batch = await service.start_batch(
        session,
        temporal,
        settings,
        account_id=principal.account_id,
        kind="references",
        count=len(REFERENCE_VIEWS),
        influencer_id=influencer.id,
        profile_id=None,
        options=GenerationOptions(aesthetic_grade=influencer.aesthetic_grade),
    )
    return batch_out(batch, await BatchRepository(session).items(batch.id), storage)


@router.post(
    "/influencers/{influencer_id}/previews",
    response_model=BatchOut,
    status_code=status.HTTP_202_ACCEPTED,
    summary="Generate preview looks",
    description="A few candidate looks, each with its own seed; list them when the batch completes and adopt one.",
    responses=_UNAVAILABLE,
)
async def generate_previews(
    influencer_id: str,
    body: PreviewsBody,
    principal: CharacterWrite,
    session: SessionDep,
    temporal: TemporalDep,
    settings: SettingsDep,
    storage: StorageDep,
) -> BatchOut:
    influencer = await get_influencer(session, principal.account_id, influencer_id)
    batch = await service.start_batch(
        session,
        temporal,
        settings,
        account_id=principal.account_id,
        kind="previews",
        count=body.count,
        influencer_id=influencer.id,
        profile_id=None,
        options=GenerationOptions(aesthetic_grade=body.aesthetic_grade or influencer.aesthetic_grade),
    )
    return batch_out(batch, await BatchRepository(session).items(batch.id), storage)


@router.get(
    "/influencers/{influencer_id}/previews", response_model=ListResponse[PreviewOut], summary="List preview results"
)
async def list_previews(
    influencer_id: str,
    principal: CharacterRead,
    session: SessionDep,
    storage: StorageDep,
    limit: Limit = DEFAULT_PAGE_SIZE,
    cursor: Cursor = None,
) -> ListResponse[PreviewOut]:
    influencer = await get_influencer(session, principal.account_id, influencer_id)
    page = await PreviewRepository(session).list(principal.account_id, influencer.id, limit=limit, cursor=cursor)
    return ListResponse(data=[preview_out(p, storage) for p in page.items], next_cursor=page.next_cursor)


@router.get("/previews/{preview_id}", response_model=PreviewOut, summary="Get a preview result")
async def get_preview(
    preview_id: str, principal: CharacterRead, session: SessionDep, storage: StorageDep
) -> PreviewOut:
    preview = await PreviewRepository(session).get(principal.account_id, preview_id)
    if preview is None:
        raise NotFound(f"preview {preview_id} not found")
    return preview_out(preview, storage)


@router.post(
    "/previews/{preview_id}/adopt",
    response_model=InfluencerOut,
    summary="Adopt a preview as the influencer's look",
    description="The preview's seed and grade become the influencer's, and its image the front reference.",
)
async def adopt(preview_id: str, principal: CharacterWrite, session: SessionDep, storage: StorageDep) -> InfluencerOut:
    influencer = await adopt_preview(session, principal.account_id, preview_id)
    return influencer_out(influencer, storage)
