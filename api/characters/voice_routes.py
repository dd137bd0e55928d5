"""``/characters/{id}/voice-samples`` and ``/characters/{id}/voice-profile``: a character's spoken voice.

Audio is checked at the edge like images are: decoded with the bundled ffmpeg before anything is stored,
so what is not audio, too long or too short is refused with its reason and leaves nothing behind."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, status
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import UploadFile

from api.auth import CharacterRead, CharacterWrite
from api.characters import voice_service as service
from api.characters.voice_schemas import VoiceProfileOut, VoiceSampleByUrl, voice_profile_out
from api.deps import SessionDep, SettingsDep, StorageDep
from api.errors import validation_details
from api.schemas import ErrorResponse
from api.starter import StarterDep
from core.errors import UnsupportedMediaType, ValidationFailed
from domain.voice import MAX_SAMPLE_BYTES
from providers.safe_fetch import FetchPolicy, fetch_url
from providers.storage.base import MediaStorage
from providers.voice.audio import decode_audio

router = APIRouter(prefix="/characters", tags=["characters"])

_SAMPLE_BODY: dict[str, Any] = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {"type": "object", "required": ["file"],
                       "properties": {"file": {"type": "string", "format": "binary"}}}
        },
        "application/json": {
            "schema": {"type": "object", "required": ["url"], "additionalProperties": False,
                       "properties": {"url": {"type": "string", "format": "uri"}}},
            "example": {"url": "https://cdn.example.com/mia/voice-note.mp3"},
        },
    },
}  # fmt: skip
_REFUSALS: dict[int | str, dict[str, Any]] = {
    413: {"model": ErrorResponse, "description": "The audio is larger than 20 MB"},
    415: {"model": ErrorResponse, "description": "Not audio in one of the accepted formats"},
    422: {"model": ErrorResponse, "description": "No usable audio, shorter than 3 s or longer than 5 min"},
}


async def _profile(session: AsyncSession, storage: MediaStorage, account_id: str, character_id: str) -> VoiceProfileOut:
    samples, clone = await service.voice_state(session, account_id, character_id)
    return voice_profile_out(character_id, samples, clone, storage)


async def _uploaded(request: Request) -> bytes:
    form = await request.form(max_files=1, max_fields=2)
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise ValidationFailed("send the audio as the `file` part", details=[{"field": "file", "message": "required"}])
    # Read one byte past the limit: enough to know it is too large without holding a huge file.
    return await upload.read(MAX_SAMPLE_BYTES + 1)


async def _by_url(raw: bytes, settings: SettingsDep) -> bytes:
    try:
        body = VoiceSampleByUrl.model_validate_json(raw)
    except ValidationError as exc:
        raise ValidationFailed("invalid voice sample", details=validation_details(list(exc.errors()))) from exc
    policy = FetchPolicy.from_settings(settings, max_bytes=MAX_SAMPLE_BYTES, deadline_seconds=30.0)
    return (await fetch_url(str(body.url), "url", policy)).data


@router.post(
    "/{character_id}/voice-samples",
    response_model=VoiceProfileOut,
    status_code=status.HTTP_201_CREATED,
    summary="Upload voice sample audio for cloning",
    description=(
        "multipart/form-data with one `file`, or JSON `{\"url\": ...}` (fetched server-side). wav, mp3, m4a, "
        "ogg or webm; 20 MB at most; 3 s to 5 min of audio. Answers the voice profile; every change of "
        "samples (re)starts the character's voice clone, which needs 30 s of audio in all."
    ),
    openapi_extra={"requestBody": _SAMPLE_BODY},
    responses=_REFUSALS,
)
async def add_voice_sample(
    character_id: str,
    request: Request,
    principal: CharacterWrite,
    starter: StarterDep,
    storage: StorageDep,
    settings: SettingsDep,
) -> VoiceProfileOut:
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith(("multipart/form-data", "application/json")):
        raise UnsupportedMediaType("send multipart/form-data (file) or application/json (url)")
    # 404 first, then release the connection while the body trickles in or the URL is fetched.
    await service.voice_state(starter.session, principal.account_id, character_id)
    await starter.session.commit()
    field = "file" if content_type.startswith("multipart/form-data") else "url"
    data = await _uploaded(request) if field == "file" else await _by_url(await request.body(), settings)
    audio = await decode_audio(data, field)
    await service.add_sample(starter, storage, principal.account_id, character_id, data, audio)
    return await _profile(starter.session, storage, principal.account_id, character_id)


@router.delete(
    "/{character_id}/voice-samples/{audio_url:path}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a voice sample",
    description="The path carries the sample's `url` as the voice profile lists it, URL-encoded (or its `id`).",
)
async def remove_voice_sample(
    character_id: str, audio_url: str, principal: CharacterWrite, starter: StarterDep, storage: StorageDep
) -> None:
    await service.remove_sample(starter, storage, principal.account_id, character_id, audio_url)


@router.get(
    "/{character_id}/voice-profile",
    response_model=VoiceProfileOut,
    summary="Voice profile (samples and clone status)",
)
async def get_voice_profile(
    character_id: str, principal: CharacterRead, session: SessionDep, storage: StorageDep
) -> VoiceProfileOut:
    return await _profile(session, storage, principal.account_id, character_id)
