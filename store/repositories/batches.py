"""Batches and their items. Counts are computed from item rows, never incremented, so a retried
activity can only ever set the truth again."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update

from domain.batches import (
    OPEN_ITEM_STATUSES,
    BatchItemStatus,
    BatchStatus,
    check_batch_transition,
    item_sources,
)
from store.models import Batch, BatchItem
from store.pagination import Page, paginate
from store.repositories.base import OwnedRepository
from store.types import utcnow


class BatchRepository(OwnedRepository[Batch]):
    model = Batch
    noun = "batch"

    async def add(self, batch: Batch) -> Batch:
        await self.add_with_items(batch)
        return batch

    async def add_with_items(self, batch: Batch) -> list[BatchItem]:
        """The batch and one pending item per position, in one flush (the unit of work inserts the batch
        first: the items' foreign key names it). Returns the items, so a caller need not read them back."""
        items = [BatchItem(batch_id=batch.id, position=i) for i in range(batch.total)]
        self.session.add(batch)
        self.session.add_all(items)
        await self.session.flush()
        return items

    async def queued_before(self, when: datetime, limit: int) -> Sequence[Batch]:
        """Batches still queued that were created before ``when`` (candidates for the stranded-work reconciler)."""
        query = (
            select(Batch)
            .where(Batch.status == BatchStatus.QUEUED, Batch.created_at < when)
            .order_by(Batch.created_at)
            .limit(limit)
        )
        return (await self.session.scalars(query)).all()

    async def get_any(self, batch_id: str) -> Batch | None:
        return await self.session.get(Batch, batch_id)

    async def list(
        self, account_id: str, *, limit: int, cursor: str | None, kind: str | None = None, status: str | None = None
    ) -> Page[Batch]:
        query = select(Batch).where(Batch.account_id == account_id)
        if kind:
            query = query.where(Batch.kind == kind)
        if status:
            query = query.where(Batch.status == status)
        return await paginate(
            self.session, query, created_col=Batch.created_at, id_col=Batch.id, limit=limit, cursor=cursor
        )

    async def items(self, batch_id: str) -> Sequence[BatchItem]:
        query = select(BatchItem).where(BatchItem.batch_id == batch_id).order_by(BatchItem.position)
        return (await self.session.scalars(query)).all()

    async def counts_for(self, batch_ids: Sequence[str]) -> dict[str, dict[str, int]]:
        """Item counts per status for a page of batches, in one grouped query instead of one per batch."""
        if not batch_ids:
            return {}
        rows = await self.session.execute(
            select(BatchItem.batch_id, BatchItem.status, func.count())
            .where(BatchItem.batch_id.in_(batch_ids))
            .group_by(BatchItem.batch_id, BatchItem.status)
        )
        counts: dict[str, dict[str, int]] = {batch_id: {} for batch_id in batch_ids}
        for batch_id, status, count in rows.all():
            counts[batch_id][status] = int(count)
        return counts

    async def item(self, batch_id: str, position: int) -> BatchItem | None:
        return await self.session.scalar(
            select(BatchItem).where(BatchItem.batch_id == batch_id, BatchItem.position == position)
        )

    async def counts(self, batch_id: str) -> dict[str, int]:
        rows = await self.session.execute(
            select(BatchItem.status, func.count()).where(BatchItem.batch_id == batch_id).group_by(BatchItem.status)
        )
        return {status: int(count) for status, count in rows.all()}

    async def set_item(
        self, batch_id: str | None, position: int, *, status: BatchItemStatus | None = None, **values: object
    ) -> bool:
        """Update an item that is still open; False when it is already settled (or there is no batch).

        Settled items stay settled: a step that finishes after its batch was cancelled and finalised must
        not bring the item back to life. With a ``status``, only items the transition table lets move
        there are updated, in one conditional UPDATE."""
        if batch_id is None:
            return False
        sources = OPEN_ITEM_STATUSES if status is None else item_sources(status)
        if status is not None:
            values["status"] = status
        result = await self.session.execute(
            update(BatchItem)
            .where(
                BatchItem.batch_id == batch_id,
                BatchItem.position == position,
                BatchItem.status.in_(sources),
            )
            .values(**values, updated_at=utcnow())
        )
        return bool(getattr(result, "rowcount", 0))

    async def item_status(self, batch_id: str, position: int) -> str | None:
        return await self.session.scalar(
            select(BatchItem.status).where(BatchItem.batch_id == batch_id, BatchItem.position == position)
        )

    async def close_open_items(self, batch_id: str, status: BatchItemStatus, error: str | None = None) -> None:
        """Give every unfinished item a final status, in one conditional UPDATE: a step that records
        media at the same moment either lands before it (and its media is then found by stray_media) or
        finds the item settled and discards its own media."""
        await self.session.execute(
            update(BatchItem)
            .where(BatchItem.batch_id == batch_id, BatchItem.status.in_(item_sources(status)))
            .values(status=status, error=error, updated_at=utcnow())
        )

    async def stray_media(self, batch_id: str) -> Sequence[str]:
        """Media rendered for items that ended without a result (cancelled, or failed after rendering)."""
        rows = await self.session.scalars(
            select(BatchItem.media_key).where(
                BatchItem.batch_id == batch_id,
                BatchItem.status.in_((BatchItemStatus.CANCELLED, BatchItemStatus.FAILED)),
                BatchItem.media_key.is_not(None),
            )
        )
        return [key for key in rows.all() if key]

    async def forget_media(self, batch_id: str, keys: Sequence[str]) -> None:
        await self.session.execute(
            update(BatchItem)
            .where(BatchItem.batch_id == batch_id, BatchItem.media_key.in_(keys))
            .values(media_key=None)
        )

    async def mark(self, batch: Batch, status: str, *, finished_at: datetime | None = None) -> None:
        """Move the batch to ``status`` (a ``BatchStatus`` value) if the transition table allows it."""
        new = BatchStatus(status)
        check_batch_transition(batch.status, new)
        batch.status = new
        batch.updated_at = utcnow()
        if finished_at is not None:
            batch.finished_at = finished_at
        await self.session.flush()
