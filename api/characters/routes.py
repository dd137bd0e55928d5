"""``/characters``: the character-editing endpoints of the reference (ingredient library, wardrobe
generation, photo analysis). A character is an influencer seen from its creative side; ids are shared."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Request, Response
from starlette.datastructures import UploadFile

from api.auth import CharacterWrite
from api.characters import service
from api.characters.schemas import WardrobeBody
from api.deps import SessionDep, SettingsDep, StorageDep
from api.influencers.schemas import InfluencerOut, IngredientsPatch, influencer_out
from api.influencers.service import get_influencer
from api.jobs.schemas import JobOut, job_out
from api.jobs.service import answer_for_job
from api.schemas import ErrorResponse
from api.starter import STARTS_WORK_RESPONSES, StarterDep
from api.uploads import check_image
from core.errors import ValidationFailed

router = APIRouter(prefix="/characters", tags=["characters"])

MAX_PHOTOS = 10
_PHOTOS_BODY: dict[str, Any] = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["files"],
                "properties": {
                    "files": {
                        "type": "array",
                        "items": {"type": "string", "format": "binary"},
                        "minItems": 1,
                        "maxItems": MAX_PHOTOS,
                    }
                },
            }
        }
    },
}


@router.patch(
    "/{character_id}/ingredients",
    response_model=InfluencerOut,
    summary="Patch ingredient library fields without overwriting siblings",
    description="Each list named in the body replaces that list; lists left out (or null) stay as they are.",
)
async def patch_ingredients(
    character_id: str, body: IngredientsPatch, principal: CharacterWrite, session: SessionDep, storage: StorageDep
) -> InfluencerOut:
    influencer = await service.patch_ingredients(session, principal.account_id, character_id, body)
    return influencer_out(influencer, storage)


@router.post(
    "/{character_id}/wardrobe/generate",
    response_model=JobOut,
    summary="Generate wardrobe items from the character's base prompt",
    responses=STARTS_WORK_RESPONSES,
)
async def generate_wardrobe(
    character_id: str,
    principal: CharacterWrite,
    starter: StarterDep,
    response: Response,
    body: Annotated[WardrobeBody | None, Body()] = None,
) -> JobOut:
    influencer = await get_influencer(starter.session, principal.account_id, character_id)
    job = await starter.start_job(service.wardrobe_job(influencer, body or WardrobeBody()))
    answer_for_job(job, response)
    return job_out(job)


@router.post(
    "/analyze-photos",
    response_model=JobOut,
    summary="Analyze uploaded photos and extract base prompt + wardrobe",
    description=f"multipart/form-data with up to {MAX_PHOTOS} `files` (PNG, JPEG or WebP, 10 MiB each).",
    openapi_extra={"requestBody": _PHOTOS_BODY},
    responses={**STARTS_WORK_RESPONSES, 413: {"model": ErrorResponse, "description": "A photo is larger than 10 MiB"}},
)
async def analyze_photos(
    request: Request,
    principal: CharacterWrite,
    starter: StarterDep,
    storage: StorageDep,
    settings: SettingsDep,
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
    photos = [
        check_image(await upload.read(), f"files.{i}", max_pixels=settings.max_image_pixels)
        for i, upload in enumerate(uploads)
    ]
    job = await starter.start_job(await service.photo_analysis_job(storage, principal.account_id, photos))
    answer_for_job(job, response)
    return job_out(job)
