"""``/content``: the review queue. Generate batches of items, list and read them, upload manual content,
edit captions, approve, reject, regenerate, tune a caption and delete. Publishing is in ``api.publishing``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request, Response, status
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from api.auth import ContentGenerate, ContentRead, ContentWrite
from api.batches.schemas import BatchOut, batch_out
from api.batches.service import BatchRequest, start_batch
from api.content import service
from api.content.schemas import (
    ContentOut,
    ContentUpdate,
    FineTuneBody,
    GenerateBody,
    RejectBody,
    VideoBody,
    content_out,
)
from api.deps import DEFAULT_PAGE_SIZE, Cursor, Limit, SessionDep, SettingsDep, StorageDep
from api.errors import validation_details
from api.jobs.schemas import JobOut, job_out
from api.jobs.service import answer_for_job
from api.schemas import ErrorResponse
from api.starter import STARTS_WORK_RESPONSES, StarterDep
from api.uploads import check_image
from api.video_comparisons import service as comparisons
from api.video_comparisons.schemas import VideoComparisonBody, VideoComparisonOut, comparison_out
from contracts.generation import GenerationOptions
from core.errors import UnsupportedMediaType, ValidationFailed
from core.wire import ListResponse
from domain.batches import BatchKind
from domain.content import ContentStatus

router = APIRouter(prefix="/content", tags=["content"])

_CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {"model": ErrorResponse, "description": "Not allowed from the item's current status; the error names it"},
}
_MAX_HASHTAGS = 30
_UPLOAD_BODY: dict[str, Any] = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file", "caption", "profileId"],
                "properties": {
                    "file": {"type": "string", "format": "binary", "description": "PNG, JPEG or WebP, 10 MiB at most"},
                    "caption": {"type": "string", "minLength": 1, "maxLength": 2200},
                    "hashtags": {
                        "type": "array",
                        "items": {"type": "string"},
                        "maxItems": _MAX_HASHTAGS,
                        "description": "Repeat the field, or give one comma-separated value; a leading # is dropped",
                    },
                    "profileId": {"type": "string", "minLength": 1, "maxLength": 40},
                },
            }
        }
    },
}


@router.get("", response_model=ListResponse[ContentOut], summary="List content items")
async def list_content(
    principal: ContentRead,
    session: SessionDep,
    storage: StorageDep,
    limit: Limit = DEFAULT_PAGE_SIZE,
    cursor: Cursor = None,
    status_filter: Annotated[ContentStatus | None, Query(alias="status", description="Filter by status")] = None,
    influencer_id: Annotated[str | None, Query(alias="influencerId", min_length=1, max_length=40)] = None,
    profile_id: Annotated[str | None, Query(alias="profileId", min_length=1, max_length=40)] = None,
    batch_id: Annotated[str | None, Query(alias="batchId", min_length=1, max_length=40)] = None,
) -> ListResponse[ContentOut]:
    page = await service.list_content(
        session,
        principal.account_id,
        limit=limit,
        cursor=cursor,
        status=status_filter.value if status_filter else None,
        influencer_id=influencer_id,
        profile_id=profile_id,
        batch_id=batch_id,
    )
    return ListResponse(data=[content_out(item, storage) for item in page.items], next_cursor=page.next_cursor)


@router.post(
    "",
    response_model=ContentOut,
    status_code=status.HTTP_201_CREATED,
    summary="Upload manual content",
    description=(
        "`multipart/form-data` with an image `file`, a `caption`, optional `hashtags` and the `profileId` it is "
        "for. The item enters the review queue as `pending_review`, attributed to the profile's influencer if any."
    ),
    openapi_extra={"requestBody": _UPLOAD_BODY},
    responses={
        400: {"model": ErrorResponse, "description": "Malformed multipart body"},
        413: {"model": ErrorResponse, "description": "The image is larger than 10 MiB"},
        415: {"model": ErrorResponse, "description": "The body is not multipart/form-data"},
    },
)
async def create_content(
    request: Request, principal: ContentWrite, session: SessionDep, storage: StorageDep, settings: SettingsDep
) -> ContentOut:
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise UnsupportedMediaType("send multipart/form-data with file, caption and profileId")
    upload = await _manual_upload(request, settings.max_image_pixels)
    item = await service.create_manual_content(session, storage, principal.account_id, upload)
    return content_out(item, storage)


@router.get("/{content_id}", response_model=ContentOut, summary="Get a content item")
async def get_content_item(
    content_id: str, principal: ContentRead, session: SessionDep, storage: StorageDep
) -> ContentOut:
    return content_out(await service.get_content(session, principal.account_id, content_id), storage)


@router.patch(
    "/{content_id}",
    response_model=ContentOut,
    summary="Edit a content item's caption or hashtags",
    description="The previous caption and hashtags are kept in `history`.",
    responses=_CONFLICT,
)
async def update_content(
    content_id: str, body: ContentUpdate, principal: ContentWrite, session: SessionDep, storage: StorageDep
) -> ContentOut:
    item = await service.update_content(session, principal.account_id, content_id, body)
    return content_out(item, storage)


@router.delete(
    "/{content_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a content item",
    description="Removes the item and every stored file of it, history included.",
    responses=_CONFLICT,
)
async def delete_content(content_id: str, principal: ContentWrite, session: SessionDep, storage: StorageDep) -> None:
    await service.delete_content(session, storage, principal.account_id, content_id)


@router.post("/{content_id}/approve", response_model=ContentOut, summary="Approve for publishing", responses=_CONFLICT)
async def approve_content(
    content_id: str, principal: ContentWrite, session: SessionDep, storage: StorageDep
) -> ContentOut:
    return content_out(await service.approve_content(session, principal.account_id, content_id), storage)


@router.post(
    "/{content_id}/reject",
    response_model=ContentOut,
    summary="Reject a content item",
    description="The optional `reason` is kept on the item until it is approved again; the body may be omitted.",
    responses=_CONFLICT,
)
async def reject_content(
    content_id: str,
    principal: ContentWrite,
    session: SessionDep,
    storage: StorageDep,
    body: Annotated[RejectBody | None, Body()] = None,
) -> ContentOut:
    reason = body.reason if body is not None else None
    item = await service.reject_content(session, principal.account_id, content_id, reason)
    return content_out(item, storage)


@router.post(
    "/generate",
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
    body: GenerateBody, principal: ContentGenerate, starter: StarterDep, storage: StorageDep
) -> BatchOut:
    target = await service.resolve_generation_target(starter.session, principal.account_id, body)
    options = GenerationOptions(
        mood=body.mood,
        setting=body.setting,
        time_of_day=body.time_of_day,
        content_direction_id=body.content_direction_id,
        aesthetic_grade=body.aesthetic_grade,
    )
    started = await start_batch(
        starter,
        BatchRequest(
            account_id=principal.account_id,
            kind=BatchKind.CONTENT,
            count=body.count,
            influencer_id=target.influencer_id,
            influencer_name=target.influencer_name,
            profile_id=target.profile_id,
            options=options,
        ),
    )
    return batch_out(started.batch, storage, items=started.items)


@router.post(
    "/{content_id}/regenerate",
    response_model=ContentOut,
    summary="Regenerate a content item",
    description="New image and caption from the same scene options; the old version is kept in `history`.",
    responses=STARTS_WORK_RESPONSES,
)
async def regenerate(
    content_id: str, principal: ContentGenerate, starter: StarterDep, storage: StorageDep, response: Response
) -> ContentOut:
    item = await service.get_content(starter.session, principal.account_id, content_id)
    job = service.regenerate_job(item, starter.settings.heartbeat_timeout_seconds)
    answer_for_job(await starter.start_job(job), response)
    await starter.session.refresh(item)
    return content_out(item, storage)


@router.post(
    "/{content_id}/fine-tune-caption",
    response_model=ContentOut,
    summary="Regenerate the caption only, image untouched",
    description="An optional `instruction` steers the new caption (e.g. 'shorter, add a question'). The old "
    "caption is kept in `history`.",
    responses=STARTS_WORK_RESPONSES,
)
async def fine_tune_caption(
    content_id: str,
    principal: ContentWrite,
    starter: StarterDep,
    storage: StorageDep,
    response: Response,
    body: Annotated[FineTuneBody | None, Body()] = None,
) -> ContentOut:
    item = await service.get_content(starter.session, principal.account_id, content_id)
    job = service.fine_tune_caption_job(item, body or FineTuneBody())
    answer_for_job(await starter.start_job(job), response)
    await starter.session.refresh(item)
    return content_out(item, storage)


@router.post(
    "/{content_id}/video",
    response_model=JobOut,
    status_code=status.HTTP_202_ACCEPTED,
    summary="Render a video of a content item",
    description=(
        "From an item in `pending_review` or `approved`. Answers 202 with a `video` job (also in the `Location` "
        "header); when it completes, the item carries `video` and its `mediaType` is `video`. The body and every "
        "field of it are optional. A second request while one renders is a 409."
    ),
    responses=STARTS_WORK_RESPONSES,
)
async def render_video(
    content_id: str,
    principal: ContentGenerate,
    starter: StarterDep,
    response: Response,
    body: Annotated[VideoBody | None, Body()] = None,
) -> JobOut:
    item = await service.get_content(starter.session, principal.account_id, content_id)
    spec = service.video_job(item, body or VideoBody(), starter.settings.heartbeat_timeout_seconds)
    job = await starter.start_job(spec)
    answer_for_job(job, response)
    return job_out(job)


@router.post(
    "/{content_id}/video-comparison",
    response_model=VideoComparisonOut,
    status_code=status.HTTP_202_ACCEPTED,
    summary="Render video variants for an A/B comparison",
    description=(
        "2 to 4 variants (A-D) rendered in parallel from the same options, differing in the fields named in "
        "`vary` (default `motion`). A variant that fails is marked failed and the others go on. Follow it with "
        "`GET /video-comparisons/{id}` and pick one with `POST /video-comparisons/{id}/select`."
    ),
    responses=STARTS_WORK_RESPONSES,
)
async def start_video_comparison(
    content_id: str,
    principal: ContentGenerate,
    starter: StarterDep,
    storage: StorageDep,
    response: Response,
    body: Annotated[VideoComparisonBody | None, Body()] = None,
) -> VideoComparisonOut:
    item = await service.get_content(starter.session, principal.account_id, content_id)
    comparison = await comparisons.start_comparison(starter, item, body or VideoComparisonBody())
    response.headers["Location"] = f"/api/v1/video-comparisons/{comparison.id}"
    return comparison_out(comparison, storage)


@router.get(
    "/{content_id}/video-comparisons",
    response_model=ListResponse[VideoComparisonOut],
    summary="List a content item's video comparisons",
)
async def list_video_comparisons(
    content_id: str,
    principal: ContentRead,
    session: SessionDep,
    storage: StorageDep,
    limit: Limit = DEFAULT_PAGE_SIZE,
    cursor: Cursor = None,
) -> ListResponse[VideoComparisonOut]:
    page = await comparisons.list_for_content(session, principal.account_id, content_id, limit=limit, cursor=cursor)
    return ListResponse(data=[comparison_out(c, storage) for c in page.items], next_cursor=page.next_cursor)


async def _manual_upload(request: Request, max_pixels: int) -> service.ManualContent:
    """Read and check the form: every field problem is reported at once, then the image is decoded."""
    async with request.form(max_files=1, max_fields=_MAX_HASHTAGS + 10) as form:  # closes the spooled file
        upload = form.get("file")
        caption = form.get("caption")
        profile_id = form.get("profileId")
        tags = [tag.strip() for value in form.getlist("hashtags") if isinstance(value, str) for tag in value.split(",")]
        problems: list[dict[str, Any]] = []
        # The schema's maxItems counts the form values as sent, empty ones included.
        if len(form.getlist("hashtags")) > _MAX_HASHTAGS:
            problems.append({"field": "hashtags", "message": f"at most {_MAX_HASHTAGS} values"})
        if not isinstance(upload, UploadFile):
            problems.append({"field": "file", "message": "an image file is required"})
        if not isinstance(caption, str):
            problems.append({"field": "caption", "message": "required"})
        if not isinstance(profile_id, str) or not 1 <= len(profile_id) <= 40:
            problems.append({"field": "profileId", "message": "required, 1..40 characters"})
        try:
            # The same caption and hashtag rules as an edit; that the caption is present is checked above.
            text = ContentUpdate(caption=caption if isinstance(caption, str) else None, hashtags=[t for t in tags if t])
        except ValidationError as exc:
            problems += validation_details(list(exc.errors()))
            text = None
        if problems or text is None or not isinstance(upload, UploadFile):
            fields = ", ".join(sorted({str(p["field"]) for p in problems}))
            raise ValidationFailed(f"invalid content upload: {fields}", details=problems)
        image = check_image(await upload.read(), "file", max_pixels=max_pixels)
    return service.ManualContent(
        image=image, caption=text.caption or "", hashtags=text.hashtags or [], profile_id=str(profile_id)
    )
