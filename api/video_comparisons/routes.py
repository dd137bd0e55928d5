"""``/video-comparisons/{id}``: a comparison with its variants, and ``/select`` to make one the item's video.
Comparisons are started from their item: ``POST /content/{id}/video-comparison``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api.auth import ContentRead, ContentWrite
from api.deps import SessionDep, StorageDep
from api.schemas import ErrorResponse
from api.video_comparisons import service
from api.video_comparisons.schemas import SelectVariantBody, VideoComparisonOut, comparison_out

router = APIRouter(prefix="/video-comparisons", tags=["videos"])

_CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {"model": ErrorResponse, "description": "The variant has not finished, or the item's status forbids it"},
}


@router.get("/{comparison_id}", response_model=VideoComparisonOut, summary="Get a video comparison")
async def get_comparison(
    comparison_id: str, principal: ContentRead, session: SessionDep, storage: StorageDep
) -> VideoComparisonOut:
    return comparison_out(await service.get_comparison(session, principal.account_id, comparison_id), storage)


@router.post(
    "/{comparison_id}/select",
    response_model=VideoComparisonOut,
    summary="Make a variant the item's video",
    description="The variant must be `completed`; the content item's `video` becomes the variant's.",
    responses=_CONFLICT,
)
async def select_variant(
    comparison_id: str, body: SelectVariantBody, principal: ContentWrite, session: SessionDep, storage: StorageDep
) -> VideoComparisonOut:
    comparison = await service.select_variant(session, principal.account_id, comparison_id, body.variant_id)
    return comparison_out(comparison, storage)
