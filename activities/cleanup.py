"""Activities that remove a deleted influencer: mark it deleted, stop its work, delete media, purge rows."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from activities.errors import provider_errors
from contracts.cleanup import (
    CancelledWork,
    InfluencerCleanupInput,
    content_media_namespace,
    influencer_cleanup_workflow_id,
    influencer_media_namespace,
)
from providers.storage.base import MediaStorage
from providers.voice.base import VoiceProvider
from store.db import transaction
from store.repositories.influencers import InfluencerRepository
from store.repositories.voice import VoiceCloneRepository
from store.types import utcnow


class CleanupActivities:
    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        storage: MediaStorage,
        client: Client,
        voice: VoiceProvider | None = None,
    ) -> None:
        self.session_factory = session_factory
        self.storage = storage
        self.client = client
        self.voice = voice

    @activity.defn
    async def mark_influencer_deleted(self, input: InfluencerCleanupInput) -> bool:
        """The API marks it too; doing it here as well means a crash between "workflow started" and
        "API committed" still ends with the influencer hidden, as the caller was promised."""
        async with transaction(self.session_factory) as session:
            influencer = await InfluencerRepository(session).get_any(input.influencer_id)
            if influencer is None or influencer.account_id != input.account_id:
                return False
            if influencer.deleted_at is None:
                influencer.deleted_at = utcnow()
            return True

    @activity.defn
    async def cancel_influencer_workflows(self, input: InfluencerCleanupInput) -> CancelledWork:
        own_id = influencer_cleanup_workflow_id(input.influencer_id)
        query = f"InfluencerId = '{input.influencer_id}' AND ExecutionStatus = 'Running'"
        cancelled: list[str] = []
        async for execution in self.client.list_workflows(query):
            if execution.id == own_id:
                continue
            try:
                await self.client.get_workflow_handle(execution.id, run_id=execution.run_id).cancel()
                cancelled.append(execution.id)
            except RPCError as exc:
                if exc.status != RPCStatusCode.NOT_FOUND:
                    raise
            activity.heartbeat(len(cancelled))
        activity.logger.info("cleanup.cancelled influencer=%s count=%d", input.influencer_id, len(cancelled))
        return CancelledWork(workflow_ids=sorted(cancelled))

    @activity.defn
    async def delete_influencer_media(self, input: InfluencerCleanupInput) -> int:
        """Its own files (references, previews, voice samples) and its cloned voice at the voice provider, and
        the files of every content item the purge will remove.
        Media goes before rows, so a retry after a crash still finds the rows that name what to delete."""
        async with transaction(self.session_factory) as session:
            content_ids = await InfluencerRepository(session).removable_content_ids(input.influencer_id)
            clone = await VoiceCloneRepository(session).get(input.influencer_id)
        if self.voice is not None and clone is not None and clone.voice_id and clone.provider == self.voice.name:
            # Its cloned voice lives at the provider too; deleting a voice already gone is not an error.
            with provider_errors():
                await self.voice.delete(clone.voice_id)
        deleted = await self.storage.delete_prefix(
            influencer_media_namespace(input.account_id, input.influencer_id) + "/"
        )
        for content_id in content_ids:
            deleted += await self.storage.delete_prefix(content_media_namespace(input.account_id, content_id) + "/")
        return deleted

    @activity.defn
    async def purge_influencer(self, input: InfluencerCleanupInput) -> bool:
        """Rows last, in one transaction: what it owns, except content live on a platform (see README)."""
        async with transaction(self.session_factory) as session:
            repo = InfluencerRepository(session)
            content_ids = await repo.removable_content_ids(input.influencer_id)
            purged = await repo.purge(input.influencer_id, content_ids)
        activity.logger.info(
            "cleanup.purged influencer=%s content_items=%d", input.influencer_id, len(content_ids)
        )
        return purged
