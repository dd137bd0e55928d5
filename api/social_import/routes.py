"""``/social-import``: start an import of a connected account's history, follow it, cancel it. The imported
posts are listed on ``GET /profiles/{profileId}/media-library``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response, status

from api.auth import ContentRead, ContentWrite
from api.deps import SessionDep
from api.schemas import ErrorResponse
from api.social_import import service
from api.social_import.schemas import ImportCreate, ImportJobOut, import_job_out
from api.starter import STARTS_WORK_RESPONSES, StarterDep
from domain.imports import ImportPlatform

router = APIRouter(prefix="/social-import", tags=["social import"])

_START_RESPONSES: dict[int | str, dict[str, Any]] = {
    **STARTS_WORK_RESPONSES,
    403: {"model": ErrorResponse, "description": "Instagram import is not enabled on this server"},
    409: {"model": ErrorResponse, "description": "An import of this account is already running (details.jobId)"},
}


@router.post(
    "/{platform}",
    response_model=ImportJobOut,
    status_code=status.HTTP_202_ACCEPTED,
    summary="Import a connected account's history",
    description="Posts (newest first) go to the media library of the account's profile, media stored by us. "
    "Instagram answers 403 `feature_disabled` until the Meta scope upgrade is enabled.",
    responses=_START_RESPONSES,
)
async def start_import(
    platform: ImportPlatform, body: ImportCreate, principal: ContentWrite, starter: StarterDep, response: Response
) -> ImportJobOut:
    job = await service.start_import(starter, account_id=principal.account_id, platform=platform, body=body)
    response.headers["Location"] = f"/api/v1/social-import/jobs/{job.id}"
    return import_job_out(job)


@router.get("/jobs/{import_job_id}", response_model=ImportJobOut, summary="Get an import job")
async def get_import(import_job_id: str, principal: ContentRead, session: SessionDep) -> ImportJobOut:
    return import_job_out(await service.get_import(session, principal.account_id, import_job_id))


@router.post(
    "/jobs/{import_job_id}/cancel",
    response_model=ImportJobOut,
    status_code=status.HTTP_202_ACCEPTED,
    summary="Cancel an import",
    description="Posts already imported stay in the library; the job ends `cancelled`.",
    responses={409: {"model": ErrorResponse, "description": "The import has already finished"}},
)
async def cancel_import(import_job_id: str, principal: ContentWrite, starter: StarterDep) -> ImportJobOut:
    return import_job_out(await service.cancel_import(starter, principal.account_id, import_job_id))
