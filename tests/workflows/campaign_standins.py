"""The stand-in for generation in campaign runs on the time-skipping server: the one activity of the stand-in
batch workflow (``campaign_batch_standin``), which writes the batch's content rows as the real batch would,
without drawing images. Everything after generation (the campaign activities, publishing, the sandbox) is
real."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity

from contracts.generation import BatchInput
from core.ids import new_id
from domain.batches import BatchItemStatus
from domain.content import ContentStatus
from store.db import transaction
from store.models import ContentItem
from store.repositories.batches import BatchRepository


@dataclass
class ItemMaker:
    sessions: async_sessionmaker[AsyncSession]

    @activity.defn(name="make_campaign_items")
    async def make_campaign_items(self, input: BatchInput) -> int:
        async with transaction(self.sessions) as session:
            repo = BatchRepository(session)
            for position in range(input.count):
                content_id = new_id("cnt")
                session.add(
                    ContentItem(
                        id=content_id,
                        account_id=input.account_id,
                        profile_id=input.profile_id,
                        influencer_id=input.influencer_id,
                        batch_id=input.batch_id,
                        status=ContentStatus.PENDING_REVIEW,
                        caption=f"{input.options.mood or 'plain'} post {position}",
                    )
                )
                await session.flush()
                await repo.set_item(input.batch_id, position, status=BatchItemStatus.RUNNING)
                await repo.set_item(input.batch_id, position, status=BatchItemStatus.COMPLETED, result_id=content_id)
        return input.count
