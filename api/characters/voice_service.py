"""A character's voice samples: store a checked sample, remove one, and (re)start the one clone workflow
of the character after every change. The change and the clone row's new revision commit together, then
the workflow starts with "terminate the running one", so the latest set of samples always wins."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.common import WorkflowIDConflictPolicy

from api.starter import StartFailure, WorkflowLaunch, WorkflowStarter
from contracts.cleanup import influencer_media_namespace
from contracts.search import search_attributes
from contracts.voice import VOICE_CLONE_WORKFLOW, VoiceCloneInput
from core.errors import NotFound
from core.ids import new_id
from domain.voice import AUDIO_CONTENT_TYPES, CloneStatus, clone_status_for, clone_workflow_id
from providers.storage.base import MediaStorage
from providers.voice.audio import DecodedAudio, measure_traits
from store.models import VoiceClone, VoiceSample
from store.repositories.influencers import InfluencerRepository
from store.repositories.voice import VoiceCloneRepository, VoiceSampleRepository

logger = logging.getLogger("autopersonas.api.voice")


async def voice_state(
    session: AsyncSession, account_id: str, influencer_id: str
) -> tuple[Sequence[VoiceSample], VoiceClone | None]:
    await InfluencerRepository(session).get_owned(account_id, influencer_id)
    samples = await VoiceSampleRepository(session).for_character(account_id, influencer_id)
    return samples, await VoiceCloneRepository(session).get(influencer_id)


async def add_sample(
    starter: WorkflowStarter, storage: MediaStorage, account_id: str, influencer_id: str, data: bytes,
    audio: DecodedAudio,
) -> None:  # fmt: skip
    session = starter.session
    await InfluencerRepository(session).get_owned(account_id, influencer_id)
    # Seconds of numpy work for a five-minute sample: on a thread, so the event loop keeps serving requests.
    traits = await asyncio.to_thread(measure_traits, audio.samples)
    namespace = f"{influencer_media_namespace(account_id, influencer_id)}/voice"
    key = await storage.put(namespace, data, AUDIO_CONTENT_TYPES[audio.format])
    await VoiceCloneRepository(session).lock_character(influencer_id)
    await VoiceSampleRepository(session).add(
        VoiceSample(
            id=new_id("vs"), account_id=account_id, influencer_id=influencer_id, storage_key=key,
            format=audio.format, sample_rate=audio.sample_rate, duration_seconds=audio.duration_seconds,
            traits=traits.as_dict(),
        )
    )  # fmt: skip
    await _samples_changed(starter, account_id, influencer_id)


async def remove_sample(
    starter: WorkflowStarter, storage: MediaStorage, account_id: str, influencer_id: str, audio_url: str
) -> None:
    """Remove the sample the path names, by its listed ``url`` or by its ``id``; its stored audio goes too
    unless another sample holds the same bytes (storage is content-addressed)."""
    session = starter.session
    await InfluencerRepository(session).get_owned(account_id, influencer_id)
    await VoiceCloneRepository(session).lock_character(influencer_id)
    repo = VoiceSampleRepository(session)
    samples = await repo.for_character(account_id, influencer_id)
    sample = next((s for s in samples if audio_url in (s.id, storage.url(s.storage_key))), None)
    if sample is None:
        raise NotFound(f"voice sample {audio_url} not found")
    key = sample.storage_key
    await repo.remove(sample)
    shared = any(s.storage_key == key for s in samples if s.id != sample.id)
    await _samples_changed(starter, account_id, influencer_id)
    if not shared:
        await storage.delete(key)


async def _samples_changed(starter: WorkflowStarter, account_id: str, influencer_id: str) -> None:
    session = starter.session
    samples = await VoiceSampleRepository(session).for_character(account_id, influencer_id)
    status = clone_status_for(sum(s.duration_seconds for s in samples), len(samples))
    clones = VoiceCloneRepository(session)
    clone = await clones.samples_changed(account_id, influencer_id, status)
    clone.workflow_id = clone_workflow_id(influencer_id)
    revision = clone.revision

    async def failed(failure: StartFailure) -> None:
        logger.warning("voice.clone_not_started influencer=%s code=%s", influencer_id, failure.code)
        current = await clones.get(influencer_id)
        if current is not None and current.revision == revision and current.status == CloneStatus.CLONING:
            error = f"{failure.message}; add or remove a sample to retry"
            await clones.settle(current, CloneStatus.FAILED, error=error)

    await starter.start(
        WorkflowLaunch(
            workflow=VOICE_CLONE_WORKFLOW,
            input=VoiceCloneInput(
                account_id=account_id, influencer_id=influencer_id, revision=revision,
                clone=status == CloneStatus.CLONING,
            ),
            workflow_id=clone.workflow_id,
            search_attributes=search_attributes(account_id, influencer_id=influencer_id),
            # A new set of samples supersedes the clone of the old set: never two at once, latest wins.
            id_conflict_policy=WorkflowIDConflictPolicy.TERMINATE_EXISTING,
            on_failure=failed,
            summary=f"Voice clone of {influencer_id} (revision {revision})",
            resource_path=f"/characters/{influencer_id}/voice-profile",
        )
    )
