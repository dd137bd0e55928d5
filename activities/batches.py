"""Batch bookkeeping: the rows that ``GET /batches/:id`` reads, kept current as the workflow runs."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity

from activities import metrics
from activities.webhook_dispatch import dispatch_recorded
from activities.webhook_events import batch_data, batch_event
from contracts.generation import BatchResult, BatchStarted, FinalizeBatchInput, ItemFailure
from domain.batches import BatchItemStatus, BatchStatus, batch_outcome
from providers.storage.base import MediaStorage
from store.db import transaction
from store.repositories.batches import BatchRepository
from store.repositories.webhooks import record_event
from store.types import utcnow


class BatchActivities:
    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        storage: MediaStorage,
        image_provider: str,
    ) -> None:
        self.session_factory = session_factory
        self.storage = storage
        # The label of the items-failed counter: failures are settled here, not in the generation activities.
        self.image_provider = image_provider

    @activity.defn
    async def start_batch(self, input: BatchStarted) -> None:
        async with transaction(self.session_factory) as session:
            batch = await BatchRepository(session).get_any(input.batch_id)
            if batch is None:
                return
            batch.run_id = input.run_id
            if batch.status == BatchStatus.QUEUED:
                batch.status = BatchStatus.RUNNING
                batch.started_at = utcnow()

    @activity.defn
    async def fail_item(self, input: ItemFailure) -> None:
        async with transaction(self.session_factory) as session:
            failed_now = await BatchRepository(session).set_item(
                input.batch_id,
                input.position,
                status=BatchItemStatus.FAILED,
                error_code=input.code,
                error=input.message[:2000],
            )
        activity.logger.info(
            "batch.item_failed batch=%s position=%d code=%s", input.batch_id, input.position, input.code
        )
        if failed_now:  # a retry of this step finds the item already failed and counts nothing
            metrics.item_failed(self.image_provider)

    @activity.defn
    async def finalize_batch(self, input: FinalizeBatchInput) -> BatchResult:
        """Settle the batch: unfinished items are closed, media of items without a result is deleted, and
        the status follows from the counts. ``batch.completed``/``batch.failed`` is recorded with the status."""
        events: list[str] = []
        async with transaction(self.session_factory) as session:
            repo = BatchRepository(session)
            batch = await repo.get_any(input.batch_id)
            if batch is None:
                return BatchResult(
                    batch_id=input.batch_id, status=BatchStatus.CANCELLED, completed=0, failed=0, cancelled=0
                )
            # After a cancel, unfinished items were cancelled; otherwise they were lost with a failed chunk.
            if input.cancelled:
                await repo.close_open_items(input.batch_id, BatchItemStatus.CANCELLED)
            else:
                await repo.close_open_items(input.batch_id, BatchItemStatus.FAILED, "the item's chunk failed")
            stray = await repo.stray_media(input.batch_id)
            counts = await repo.counts(input.batch_id)
            completed, failed = counts.get(BatchItemStatus.COMPLETED, 0), counts.get(BatchItemStatus.FAILED, 0)
            cancelled = counts.get(BatchItemStatus.CANCELLED, 0)
            status = batch_outcome(
                completed=completed, failed=failed, cancelled=cancelled, was_cancelled=input.cancelled
            )
            if failed and not batch.error:
                batch.error = f"{failed} of {batch.total} items failed"
            await repo.mark(batch, status, finished_at=utcnow())
            event_type = batch_event(status)
            if event_type is not None:
                data = batch_data(batch, completed, failed, cancelled)
                events.append((await record_event(session, batch.account_id, event_type, data, key=batch.id)).id)
        await dispatch_recorded(self.session_factory, events)
        for key in stray:
            await self.storage.delete(key)
        if stray:
            async with transaction(self.session_factory) as session:
                await BatchRepository(session).forget_media(input.batch_id, stray)
        return BatchResult(
            batch_id=input.batch_id, status=status, completed=completed, failed=failed, cancelled=cancelled
        )
