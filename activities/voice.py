"""A character's voice clone: clone from the stored samples, and record the outcome on the clone row.

Every step checks the run's ``revision`` against the row's: a run superseded by a newer change of samples
records nothing, and a voice it made anyway is deleted, so a character never keeps a voice that matches
samples it no longer has. ``record_voice_ready`` is the one place where a clone becomes ``ready``."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity

from activities.errors import provider_errors
from activities.heartbeat import heartbeating
from activities.webhook_dispatch import dispatch_recorded
from contracts.voice import ClonedVoiceRef, VoiceCloneInput, VoiceFailedInput, VoiceReadyInput
from domain.voice import AUDIO_CONTENT_TYPES, CloneStatus
from domain.webhooks import EventType
from providers.storage.base import MediaStorage
from providers.voice.base import CloneRequest, VoiceAudio, VoiceProvider
from store.db import transaction
from store.models import VoiceClone
from store.repositories.influencers import InfluencerRepository
from store.repositories.voice import VoiceCloneRepository, VoiceSampleRepository
from store.repositories.webhooks import record_event


class VoiceActivities:
    def __init__(
        self, session_factory: async_sessionmaker[AsyncSession], voice: VoiceProvider, storage: MediaStorage
    ) -> None:
        self.session_factory = session_factory
        self.voice = voice
        self.storage = storage

    async def _current(self, session: AsyncSession, influencer_id: str, revision: int) -> VoiceClone | None:
        clone = await VoiceCloneRepository(session).get(influencer_id)
        return clone if clone is not None and clone.revision == revision else None

    @activity.defn
    async def release_voice(self, input: VoiceCloneInput) -> bool:
        """Too few samples: delete the provider's voice of the earlier samples. True when one was deleted."""
        async with transaction(self.session_factory) as session:
            clone = await self._current(session, input.influencer_id, input.revision)
            old = clone.voice_id if clone is not None and clone.provider == self.voice.name else None
        if old is None:
            return False
        with provider_errors():
            await self.voice.delete(old)
        async with transaction(self.session_factory) as session:
            clone = await self._current(session, input.influencer_id, input.revision)
            if clone is not None and clone.voice_id == old:
                clone.voice_id, clone.fingerprint = None, {}
        return True

    @activity.defn
    @heartbeating
    async def clone_voice(self, input: VoiceCloneInput) -> ClonedVoiceRef | None:
        """Clone from every stored sample; None when this run was superseded, before it started (nothing
        uploaded) or while it uploaded (the voice it made is deleted)."""
        async with transaction(self.session_factory) as session:
            clone = await self._current(session, input.influencer_id, input.revision)
            influencer = await InfluencerRepository(session).get(input.account_id, input.influencer_id)
            samples = await VoiceSampleRepository(session).for_character_any(input.influencer_id)
        if clone is None or influencer is None or not samples:
            return None
        audio = [
            VoiceAudio(
                sample_id=s.id,
                data=await self.storage.get(s.storage_key),
                filename=f"{s.id}.{s.format}",
                content_type=AUDIO_CONTENT_TYPES.get(s.format, "application/octet-stream"),
            )
            for s in samples
        ]
        with provider_errors():
            if clone.voice_id and clone.provider == self.voice.name:
                await self.voice.delete(clone.voice_id)  # the voice of the samples we had before
            cloned = await self.voice.clone(CloneRequest(name=f"{influencer.name} ({influencer.id})", samples=audio))
        async with transaction(self.session_factory) as session:
            still_current = await self._current(session, input.influencer_id, input.revision) is not None
        if not still_current:
            # The samples changed while we uploaded (this run's workflow may already be terminated, and nobody
            # would record this voice): delete it rather than leave a voice no row names.
            with provider_errors():
                await self.voice.delete(cloned.voice_id)
            return None
        return ClonedVoiceRef(provider=self.voice.name, voice_id=cloned.voice_id, fingerprint=cloned.fingerprint)

    @activity.defn
    async def record_voice_ready(self, input: VoiceReadyInput) -> bool:
        """The one place a clone becomes ``ready``. A superseded run's voice is deleted instead; False then."""
        event = None
        async with transaction(self.session_factory) as session:
            clone = await self._current(session, input.influencer_id, input.revision)
            ready_id = input.voice.voice_id
            if clone is not None and clone.status == CloneStatus.CLONING:
                await VoiceCloneRepository(session).settle(
                    clone, CloneStatus.READY, provider=input.voice.provider, voice_id=input.voice.voice_id,
                    fingerprint=dict(input.voice.fingerprint), error=None,
                )  # fmt: skip
                # The event is written with the outcome; keyed by the revision, a retried call keeps one.
                event = await record_event(
                    session, clone.account_id, EventType.VOICE_CLONE_READY,
                    {"characterId": input.influencer_id, "status": CloneStatus.READY.value,
                     "provider": input.voice.provider, "voiceId": ready_id, "revision": input.revision},
                    key=f"{input.influencer_id}:{input.revision}",
                )  # fmt: skip
                activity.logger.info("voice.clone_ready influencer=%s voice=%s", input.influencer_id, ready_id)
            still_used = clone is not None and clone.voice_id == input.voice.voice_id
        if event is not None:
            await dispatch_recorded(self.session_factory, [event.id])
            return True
        if not still_used and input.voice.provider == self.voice.name:
            with provider_errors():
                await self.voice.delete(input.voice.voice_id)
        return False

    @activity.defn
    async def record_voice_failed(self, input: VoiceFailedInput) -> bool:
        async with transaction(self.session_factory) as session:
            clone = await self._current(session, input.influencer_id, input.revision)
            if clone is None or clone.status != CloneStatus.CLONING:
                return False
            await VoiceCloneRepository(session).settle(clone, CloneStatus.FAILED, error=input.error)
            return True
