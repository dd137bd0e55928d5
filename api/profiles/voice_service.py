"""A profile's written voice: its corpus (synced from imported posts and approved or published captions,
plus samples added by hand), the stats measured from it, and the spec of a voice-grounded caption job."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from api.profiles.voice_schemas import GenerateCaptionBody, ManualSamplesBody, VoiceStatsOut, voice_stats_out
from api.starter import JobSpec
from api.uploads import fetch_image
from contracts.jobs import VOICE_CAPTION_WORKFLOW, VoiceCaptionInput
from core.errors import Conflict, ValidationFailed
from core.settings import Settings
from domain.jobs import JobKind
from domain.voice_style import corpus_stats
from providers.storage.base import MediaStorage
from store.repositories.content import ContentRepository
from store.repositories.imports import MediaLibraryRepository
from store.repositories.profiles import ProfileRepository
from store.repositories.voice import VoiceCorpusRepository


async def voice_stats(session: AsyncSession, account_id: str, profile_id: str) -> VoiceStatsOut:
    await ProfileRepository(session).get_owned(account_id, profile_id)
    repo = VoiceCorpusRepository(session)
    await repo.sync(account_id, profile_id)
    samples = await repo.for_profile(account_id, profile_id)
    stats = corpus_stats([s.text for s in samples], [s.posted_at for s in samples])
    return voice_stats_out(profile_id, await repo.counts(account_id, profile_id), samples, stats)


async def add_manual_samples(
    session: AsyncSession, account_id: str, profile_id: str, body: ManualSamplesBody
) -> VoiceStatsOut:
    await ProfileRepository(session).get_owned(account_id, profile_id)
    texts = [s.text.strip() for s in body.samples]
    rows = await VoiceCorpusRepository(session).add_manual(account_id, profile_id, texts)
    for row, sample in zip(rows, body.samples, strict=True):
        if sample.posted_at is not None:
            row.posted_at = sample.posted_at
    return await voice_stats(session, account_id, profile_id)


async def check_corpus(session: AsyncSession, account_id: str, profile_id: str) -> None:
    """409 ``voice_corpus_empty`` for a profile with nothing to ground its captions in."""
    await ProfileRepository(session).get_owned(account_id, profile_id)
    repo = VoiceCorpusRepository(session)
    await repo.sync(account_id, profile_id)
    if not await repo.counts(account_id, profile_id):
        raise Conflict(
            "this profile has no voice corpus yet: import its posts (POST /social-import/{platform}) or add "
            "samples (POST /profiles/{profileId}/voice-samples) first",
            code="voice_corpus_empty",
        )


async def caption_image(
    session: AsyncSession, storage: MediaStorage, settings: Settings, account_id: str, body: GenerateCaptionBody
) -> tuple[str | None, str | None]:
    """(storage key, content id) of the image to caption, checked to exist and belong to the caller."""
    if body.content_id:
        item = await ContentRepository(session).get_owned(account_id, body.content_id)
        if not item.media_key:
            raise ValidationFailed(
                "the content item has no image yet", details=[{"field": "contentId", "message": "no image"}]
            )
        return None, item.id
    if body.media_id:
        media = await MediaLibraryRepository(session).get_owned(account_id, body.media_id)
        key = media.media_key if media.media_type == "image" else media.thumbnail_key
        if not key:
            raise ValidationFailed(
                "the library item has no stored image", details=[{"field": "mediaId", "message": "no image"}]
            )
        return key, None
    image = await fetch_image(str(body.image_url), "imageUrl", settings)
    return await storage.put(f"{account_id}/uploads/voice-captions", image.data, image.content_type), None


def caption_job(
    account_id: str, profile_id: str, body: GenerateCaptionBody, image_key: str | None, content_id: str | None
) -> JobSpec:
    return JobSpec(
        kind=JobKind.VOICE_CAPTION,
        workflow=VOICE_CAPTION_WORKFLOW,
        account_id=account_id,
        subject_id=profile_id,
        params=body.model_dump(mode="json", by_alias=True, exclude_none=True),
        summary=f"{body.count} caption(s) in the written voice of {profile_id}",
        make_input=lambda job_id: VoiceCaptionInput(
            job_id=job_id, account_id=account_id, profile_id=profile_id, image_key=image_key, content_id=content_id,
            instruction=body.instruction, platform=body.platform, count=body.count,
        ),
    )
