"""``/influencers``: create, read, update, delete, set reference images by upload or URL, and generate a
reference pack or preview looks."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, status
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from api.auth import CharacterRead, CharacterWrite
from api.batches.schemas import BatchOut, batch_out
from api.deps import DEFAULT_PAGE_SIZE, Cursor, Limit, SessionDep, SettingsDep, StorageDep
from api.errors import validation_details
from api.influencers import service
from api.influencers.schemas import InfluencerCreate, InfluencerOut, InfluencerUpdate, ReferencesByUrl, influencer_out
from api.previews.schemas import PreviewOut, PreviewsBody, preview_out
from api.previews.service import list_previews as find_previews
from api.schemas import ErrorResponse
from api.starter import StarterDep
from api.uploads import check_image, fetch_image
from core.errors import UnsupportedMediaType, ValidationFailed
from core.settings import Settings
from core.wire import ListResponse
from domain.vocabulary import VIEWS

router = APIRouter(prefix="/influencers", tags=["influencers"])

_UNAVAILABLE: dict[int | str, dict[str, Any]] = {
    503: {"model": ErrorResponse, "description": "The workflow engine is unreachable"}
}

_VIEWS = list(VIEWS)
_REFERENCES_BODY: dict[str, Any] = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["references"],
                "additionalProperties": False,
                "properties": {
                    "references": {
                        "type": "array", "minItems": 1, "maxItems": 8,
                        "items": {
                            "type": "object", "required": ["view", "url"], "additionalProperties": False,
                            "properties": {"view": {"enum": _VIEWS}, "url": {"type": "string", "format": "uri"}},
                        },
                    }
                },
            },
            "example": {"references": [{"view": "front", "url": "https://cdn.example.com/mia/front.jpg"}]},
        },
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["files", "views"],
                "properties": {
                    "files": {"type": "array", "items": {"type": "string", "format": "binary"}, "maxItems": 8},
                    "views": {"type": "array", "items": {"enum": _VIEWS}, "maxItems": 8},
                },
            }
        },
    },
}


@router.get("", response_model=ListResponse[InfluencerOut], summary="List influencers")
async def list_influencers(
    principal: CharacterRead, session: SessionDep, storage: StorageDep,
    limit: Limit = DEFAULT_PAGE_SIZE, cursor: Cursor = None,
) -> ListResponse[InfluencerOut]:
    page = await service.list_influencers(session, principal.account_id, limit=limit, cursor=cursor)
    return ListResponse(data=[influencer_out(i, storage) for i in page.items], next_cursor=page.next_cursor)


@router.post("", response_model=InfluencerOut, status_code=status.HTTP_201_CREATED, summary="Create an influencer")
async def create_influencer(
    body: InfluencerCreate, principal: CharacterWrite, session: SessionDep, storage: StorageDep
) -> InfluencerOut:
    influencer = await service.create_influencer(session, principal.account_id, body)
    return influencer_out(influencer, storage)


@router.get("/{influencer_id}", response_model=InfluencerOut, summary="Get influencer by ID")
async def get_influencer(
    influencer_id: str, principal: CharacterRead, session: SessionDep, storage: StorageDep
) -> InfluencerOut:
    return influencer_out(await service.get_influencer(session, principal.account_id, influencer_id), storage)


@router.put("/{influencer_id}", response_model=InfluencerOut, summary="Update an influencer")
async def update_influencer(
    influencer_id: str, body: InfluencerUpdate, principal: CharacterWrite, session: SessionDep, storage: StorageDep
) -> InfluencerOut:
    influencer = await service.update_influencer(session, principal.account_id, influencer_id, body)
    return influencer_out(influencer, storage)


@router.delete(
    "/{influencer_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Delete an influencer",
    description="Answers at once; a cleanup workflow removes media and cancels pending work in the background.",
    responses={503: {"description": "The workflow engine is unreachable; nothing was deleted"}},
)
async def delete_influencer(influencer_id: str, principal: CharacterWrite, starter: StarterDep) -> None:
    await service.delete_influencer(starter, principal.account_id, influencer_id)


@router.post(
    "/{influencer_id}/references",
    response_model=InfluencerOut,
    summary="Set reference images",
    description=(
        "Either `multipart/form-data` with `files` and one `views` entry per file, or JSON "
        "`{\"references\": [{\"view\": \"front\", \"url\": \"https://...\"}]}`. A view given again replaces "
        "that view's image. PNG, JPEG or WebP, 10 MiB each."
    ),
    openapi_extra={"requestBody": _REFERENCES_BODY},
    responses={413: {"description": "An image is larger than 10 MiB"}, 415: {"description": "Unsupported body"}},
)
async def set_reference_images(
    influencer_id: str,
    request: Request,
    principal: CharacterWrite,
    session: SessionDep,
    storage: StorageDep,
    settings: SettingsDep,
) -> InfluencerOut:
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith(("multipart/form-data", "application/json")):
        raise UnsupportedMediaType("send multipart/form-data (files + views) or application/json (references)")
    # 404 before reading anything, then end that read: the session must not hold a pooled connection (or,
    # on SQLite, a transaction) while a slow client trickles its upload or a slow server serves a URL.
    await service.get_influencer(session, principal.account_id, influencer_id)
    await session.commit()
    if content_type.startswith("multipart/form-data"):
        images = await _uploaded_images(request, settings.max_image_pixels)
    else:
        images = await _images_by_url(await request.body(), settings)
    influencer = await service.set_references(session, storage, principal.account_id, influencer_id, images)
    return influencer_out(influencer, storage)


@router.post(
    "/{influencer_id}/generate-references",
    response_model=BatchOut,
    status_code=status.HTTP_202_ACCEPTED,
    summary="Generate 4-view reference pack",
    description="Front, three-quarter, profile and back views from the base prompt with one shared seed; each "
    "view replaces that view's reference image when it is done.",
    responses=_UNAVAILABLE,
)
async def generate_references(
    influencer_id: str, principal: CharacterWrite, starter: StarterDep, storage: StorageDep
) -> BatchOut:
    influencer = await service.get_influencer(starter.session, principal.account_id, influencer_id)
    started = await service.start_reference_pack(starter, influencer)
    return batch_out(started.batch, storage, items=started.items)


@router.post(
    "/{influencer_id}/previews",
    response_model=BatchOut,
    status_code=status.HTTP_202_ACCEPTED,
    summary="Generate preview looks",
    description="A few candidate looks, each with its own seed; list them when the batch completes and adopt one.",
    responses=_UNAVAILABLE,
)
async def generate_previews(
    influencer_id: str, body: PreviewsBody, principal: CharacterWrite, starter: StarterDep, storage: StorageDep
) -> BatchOut:
    influencer = await service.get_influencer(starter.session, principal.account_id, influencer_id)
    started = await service.start_previews(starter, influencer, body)
    return batch_out(started.batch, storage, items=started.items)


@router.get("/{influencer_id}/previews", response_model=ListResponse[PreviewOut], summary="List preview results")
async def list_previews(
    influencer_id: str,
    principal: CharacterRead,
    session: SessionDep,
    storage: StorageDep,
    limit: Limit = DEFAULT_PAGE_SIZE,
    cursor: Cursor = None,
) -> ListResponse[PreviewOut]:
    influencer = await service.get_influencer(session, principal.account_id, influencer_id)
    page = await find_previews(session, influencer, limit=limit, cursor=cursor)
    return ListResponse(data=[preview_out(p, storage) for p in page.items], next_cursor=page.next_cursor)


async def _uploaded_images(request: Request, max_pixels: int) -> list[tuple[str, bytes, str, str, str | None]]:
    form = await request.form(max_files=8, max_fields=16)
    files = [f for f in form.getlist("files") if isinstance(f, UploadFile)]
    views = [v for v in form.getlist("views") if isinstance(v, str)]
    problems = []
    if not files:
        problems.append({"field": "files", "message": "at least one file is required"})
    if len(views) != len(files):
        problems.append({"field": "views", "message": f"give one view per file ({len(files)} files)"})
    problems += [
        {"field": f"views.{i}", "message": f"must be one of {', '.join(_VIEWS)}"}
        for i, view in enumerate(views) if view not in _VIEWS
    ]
    if len(set(views)) != len(views):
        problems.append({"field": "views", "message": "each view at most once"})
    if problems:
        raise ValidationFailed("invalid reference upload", details=problems)
    checked = [
        check_image(await upload.read(), f"files.{i}", max_pixels=max_pixels) for i, upload in enumerate(files)
    ]
    return [(view, img.data, img.content_type, "upload", None) for view, img in zip(views, checked, strict=True)]


async def _images_by_url(raw: bytes, settings: Settings) -> list[tuple[str, bytes, str, str, str | None]]:
    try:
        body = ReferencesByUrl.model_validate_json(raw)
    except ValidationError as exc:
        details = validation_details(list(exc.errors()))
        raise ValidationFailed("invalid reference list", details=details) from exc
    views = [ref.view for ref in body.references]
    if len(set(views)) != len(views):
        raise ValidationFailed("each view at most once", details=[{"field": "references", "message": "duplicate view"}])
    images: list[tuple[str, bytes, str, str, str | None]] = []
    for i, ref in enumerate(body.references):
        img = await fetch_image(str(ref.url), f"references.{i}.url", settings)
        images.append((ref.view, img.data, img.content_type, "url", str(ref.url)))
    return images
