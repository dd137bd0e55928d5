"""Short generations. Each runs as a workflow; the request waits a few seconds for it and answers 200
with the result, or 202 with something to poll when it takes longer."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response, status
from starlette.datastructures import UploadFile

from api.auth import CharacterWrite, ContentGenerate, ContentRead, ContentWrite
from api.deps import SessionDep, SettingsDep, StorageDep, TemporalDep
from api.presenters import content_out, job_out
from api.schemas.common import ErrorResponse
from api.schemas.content import ContentOut, DirectionsDraftBody, FineTuneBody, JobOut, WardrobeBody
from api.services import generation as service
from api.services.content_lookup import get_content
from api.services.influencers import get_influencer
from api.services.profiles import get_profile
from api.services.uploads import check_image
from contracts.jobs import (
    ANALYZE_PHOTOS_WORKFLOW,
    CONTENT_DIRECTIONS_WORKFLOW,
    FINE_TUNE_CAPTION_WORKFLOW,
    REGENERATE_WORKFLOW,
    WARDROBE_WORKFLOW,
    AnalyzePhotosInput,
    ContentDirectionsInput,
    FineTuneCaptionInput,
    RegenerateInput,
    WardrobeInput,
)
from core.errors import NotFound, ValidationFailed
from domain.content import ContentAction, check_transition
from store.models import Job
from store.repositories.jobs import JobRepository

router = APIRouter(tags=["jobs"])

_ASYNC: dict[int | str, dict[str, Any]] = {
    202: {"description": "Still running: poll the Location header"},
    409: {"model": ErrorResponse, "description": "Not allowed in the item's current status, or already running"},
    503: {"model": ErrorResponse, "description": "The workflow engine is unreachable"},
}
MAX_PHOTOS = 10


def _accepted_if_running(job: Job, response: Response) -> None:
    if job.status in ("queued", "running"):
        response.status_code = status.HTTP_202_ACCEPTED
        response.headers["Location"] = f"/api/v1/jobs/{job.id}"
    response.headers["X-Job-Id"] = job.id


@router.post(
    "/content/{content_id}/regenerate",
    response_model=ContentOut,
    summary="Regenerate a content item",
    description="New image and caption from the same scene options; the old version is kept in `history`.",
    responses=_ASYNC,
)
async def regenerate(
    content_id: str,
    principal: ContentGenerate,
    session: SessionDep,
    temporal: TemporalDep,
    settings: SettingsDep,
    storage: StorageDep,
    response: Response,
) -> ContentOut:
    item = await get_content(session, principal.account_id, content_id)
    check_transition(ContentAction.REGENERATE, item.status)
    job = await service.start_job(
        session,
        temporal,
        settings,
        account_id=principal.account_id,
        kind="regenerate",
        workflow=REGENERATE_WORKFLOW,
        subject_id=item.id,
        params={},
        make_input=lambda job_id: RegenerateInput(job_id=job_id, account_id=principal.account_id, content_id=item.id),
        workflow_id=f"regenerate-{item.id}",
        busy_message=f"content {item.id} is already being regenerated",
    )
    _accepted_if_running(job, response)
    await session.refresh(item)
    return content_out(item, storage)


@router.post(
    "/content/{content_id}/fine-tune-caption",
    response_model=ContentOut,
    summary="Regenerate the caption only, image untouched",
    description="An optional `instruction` steers the new caption (e.g. 'shorter, add a question'). The old "
    "caption is kept in `history`.",
    responses=_ASYNC,
)
async def fine_tune_caption(
    content_id: str,
    body: FineTuneBody,
    principal: ContentWrite,
    session: SessionDep,
    temporal: TemporalDep,
    settings: SettingsDep,
    storage: StorageDep,
    response: Response,
) -> ContentOut:
    item = await get_content(session, principal.account_id, content_id)
    check_transition(ContentAction.FINE_TUNE_CAPTION, item.status)
    job = await service.start_job(
        session,
        temporal,
        settings,
        account_id=principal.account_id,
        kind="fine_tune_caption",
        workflow=FINE_TUNE_CAPTION_WORKFLOW,
        subject_id=item.id,
        params={"instruction": body.instruction},
        make_input=lambda job_id: FineTuneCaptionInput(
            job_id=job_id, account_id=principal.account_id, content_id=item.id, instruction=body.instruction
        ),
        workflow_id=f"fine-tune-caption-{item.id}",
        busy_message=f"content {item.id} caption is already being tuned",
    )
    _accepted_if_running(job, response)
    await session.refresh(item)
    return content_out(item, storage)


@router.post(
    "/characters/{character_id}/wardrobe/generate",
    response_model=JobOut,
    summary="Generate wardrobe items from the character's base prompt",
    responses=_ASYNC,
)
async def generate_wardrobe(
    character_id: str,
    body: WardrobeBody,
    principal: CharacterWrite,
    session: SessionDep,
    temporal: TemporalDep,
    settings: SettingsDep,
    response: Response,
) -> JobOut:
    influencer = await get_influencer(session, principal.account_id, character_id)
    job = await service.start_job(
        session,
        temporal,
        settings,
        account_id=principal.account_id,
        kind="wardrobe",
        workflow=WARDROBE_WORKFLOW,
        subject_id=influencer.id,
        params=body.model_dump(by_alias=True),
        make_input=lambda job_id: WardrobeInput(
            job_id=job_id,
            account_id=principal.account_id,
            influencer_id=influencer.id,
            count=body.count,
            save=body.save,
        ),
    )
    _accepted_if_running(job, response)
    return job_out(job)


_PHOTOS_BODY: dict[str, Any] = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["files"],
                "properties": {
                    "files": {"type": "array", "items": {"type": "string", "format": "binary"}, "maxItems": MAX_PHOTOS}
                },
            }
        }
    },
}


@router.post(
    "/characters/analyze-photos",
    response_model=JobOut,
    summary="Analyze uploaded photos and extract base prompt + wardrobe",
    description=f"multipart/form-data with up to {MAX_PHOTOS} `files` (PNG, JPEG or WebP, 10 MiB each).",
    openapi_extra={"requestBody": _PHOTOS_BODY},
    responses={**_ASYNC, 413: {"model": ErrorResponse, "description": "A photo is larger than 10 MiB"}},
)
async def analyze_photos(
    request: Request,
    principal: CharacterWrite,
    session: SessionDep,
    temporal: TemporalDep,
    settings: SettingsDep,
    storage: StorageDep,
    response: Response,
) -> JobOut:
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise ValidationFailed(
            "send multipart/form-data with files", details=[{"field": "files", "message": "required"}]
        )
    form = await request.form(max_files=MAX_PHOTOS, max_fields=MAX_PHOTOS + 4)
    uploads = [f for f in form.getlist("files") if isinstance(f, UploadFile)]
    if not uploads:
        raise ValidationFailed("at least one photo is required", details=[{"field": "files", "message": "required"}])
    photos = [check_image(await upload.read(), f"files.{i}") for i, upload in enumerate(uploads)]
    namespace = f"{principal.account_id}/uploads/photo-analysis"
    keys = [await storage.put(namespace, photo.data, photo.content_type) for photo in photos]
    content_types = [photo.content_type for photo in photos]
    job = await service.start_job(
        session,
        temporal,
        settings,
        account_id=principal.account_id,
        kind="analyze_photos",
        workflow=ANALYZE_PHOTOS_WORKFLOW,
        subject_id=None,
        params={"photos": len(keys)},
        make_input=lambda job_id: AnalyzePhotosInput(
            job_id=job_id, account_id=principal.account_id, media_keys=keys, content_types=content_types
        ),
    )
    _accepted_if_running(job, response)
    return job_out(job)


@router.post(
    "/profiles/{profile_id}/content-directions/draft",
    response_model=JobOut,
    summary="Draft content directions from a freeform prompt",
    description="With `save: true` the drafts are appended to the profile's content directions.",
    responses=_ASYNC,
)
async def draft_content_directions(
    profile_id: str,
    body: DirectionsDraftBody,
    principal: ContentGenerate,
    session: SessionDep,
    temporal: TemporalDep,
    settings: SettingsDep,
    response: Response,
) -> JobOut:
    profile = await get_profile(session, principal.account_id, profile_id)
    job = await service.start_job(
        session,
        temporal,
        settings,
        account_id=principal.account_id,
        kind="content_directions",
        workflow=CONTENT_DIRECTIONS_WORKFLOW,
        subject_id=profile.id,
        params=body.model_dump(by_alias=True),
        make_input=lambda job_id: ContentDirectionsInput(
            job_id=job_id,
            account_id=principal.account_id,
            profile_id=profile.id,
            prompt=body.prompt,
            count=body.count,
            save=body.save,
        ),
    )
    _accepted_if_running(job, response)
    return job_out(job)


@router.get("/jobs/{job_id}", response_model=JobOut, summary="Get a job's status and result")
async def get_job(job_id: str, principal: ContentRead, session: SessionDep) -> JobOut:
    job = await JobRepository(session).get(principal.account_id, job_id)
    if job is None:
        raise NotFound(f"job {job_id} not found")
    return job_out(job)
