"""``/profiles/{profileId}/voice-stats``, ``/voice-samples`` and ``/generate-caption``: a profile's written
voice, and captions written in it."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from api.auth import ContentGenerate, ContentRead, ContentWrite
from api.deps import SessionDep, SettingsDep, StorageDep
from api.jobs.schemas import JobOut, job_out
from api.jobs.service import answer_for_job
from api.profiles import voice_service as service
from api.profiles.voice_schemas import GenerateCaptionBody, ManualSamplesBody, VoiceStatsOut
from api.schemas import ErrorResponse
from api.starter import STARTS_WORK_RESPONSES, StarterDep

router = APIRouter(prefix="/profiles", tags=["profiles"])


@router.get(
    "/{profile_id}/voice-stats",
    response_model=VoiceStatsOut,
    summary="Voice corpus stats (count + recent samples)",
    description="The corpus: imported posts, captions the profile approved or published, and samples added by hand.",
)
async def voice_stats(profile_id: str, principal: ContentRead, session: SessionDep) -> VoiceStatsOut:
    return await service.voice_stats(session, principal.account_id, profile_id)


@router.post(
    "/{profile_id}/voice-samples",
    response_model=VoiceStatsOut,
    status_code=status.HTTP_201_CREATED,
    summary="Add samples of the profile's written voice by hand",
)
async def add_voice_samples(
    profile_id: str, body: ManualSamplesBody, principal: ContentWrite, session: SessionDep
) -> VoiceStatsOut:
    return await service.add_manual_samples(session, principal.account_id, profile_id, body)


@router.post(
    "/{profile_id}/generate-caption",
    response_model=JobOut,
    summary="Voice-grounded caption for a managed profile (image URL in)",
    description=(
        "One of `imageUrl`, `mediaId` or `contentId`. The job's result holds `captions` (`text`, `hashtags`), "
        "`grounding` (the corpus samples used, with their similarity), `imageDescription` and `voiceMatch` "
        "(0-1, how close the captions sit to the corpus)."
    ),
    responses={**STARTS_WORK_RESPONSES, 409: {"model": ErrorResponse, "description": "`voice_corpus_empty`"}},
)
async def generate_caption(
    profile_id: str,
    body: GenerateCaptionBody,
    principal: ContentGenerate,
    starter: StarterDep,
    storage: StorageDep,
    settings: SettingsDep,
    response: Response,
) -> JobOut:
    session = starter.session
    await service.check_corpus(session, principal.account_id, profile_id)
    # The URL fetch must not hold a connection: what was read is committed first.
    await session.commit()
    image_key, content_id = await service.caption_image(session, storage, settings, principal.account_id, body)
    job = await starter.start_job(service.caption_job(principal.account_id, profile_id, body, image_key, content_id))
    answer_for_job(job, response)
    return job_out(job)
