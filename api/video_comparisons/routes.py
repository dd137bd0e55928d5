"""``/video-comparisons/{id}``: a comparison with its variants, and ``/select`` to make one the item's video.
Comparisons are started from their item: ``POST /content/{id}/video-comparison``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, status

from api.auth import ContentRead, ContentWrite, PublishingWrite
from api.deps import SessionDep, StorageDep
from api.schemas import ErrorResponse
from api.starter import STARTS_WORK_RESPONSES, StarterDep
from api.video_comparisons import experiments, service
from api.video_comparisons.schemas import ExperimentBody, SelectVariantBody, VideoComparisonOut, comparison_out

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


@router.post(
    "/{comparison_id}/experiment",
    response_model=VideoComparisonOut,
    status_code=status.HTTP_202_ACCEPTED,
    summary="Publish the variants as an A/B experiment and keep the winner",
    description="Each completed variant is published to one of `accountIds` (round robin; variants that share an "
    "account go out one `window` apart). A durable timer waits out the window, the posts' metrics are read, and "
    "the variant with the higher engagement rate becomes the item's video. Follow it on this comparison "
    "(`experiment`).",
    responses=STARTS_WORK_RESPONSES,
)
async def start_experiment(
    comparison_id: str, body: ExperimentBody, principal: PublishingWrite, starter: StarterDep, storage: StorageDep
) -> VideoComparisonOut:
    comparison = await experiments.start_experiment(
        starter, principal.account_id, comparison_id, body.account_ids, body.window_seconds
    )
    return comparison_out(comparison, storage)
