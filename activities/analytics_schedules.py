"""At worker start, make sure every connected account has its analytics Schedule: accounts connected before
analytics existed, or while Temporal was unreachable from the API, get theirs here; existing ones are brought
up to date (interval, look-back) and keep a pause set in the Temporal UI. The API creates and removes them as
accounts connect and disconnect (``api/analytics/schedules.py``); this pass only fills gaps."""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio.client import Client

from contracts.analytics import analytics_schedule, analytics_schedule_id
from core.schedules import ensure_schedule
from core.settings import Settings
from store.db import transaction
from store.repositories.analytics import AnalyticsRepository

logger = logging.getLogger("autopersonas.schedules")


async def ensure_analytics_schedules(
    client: Client, session_factory: async_sessionmaker[AsyncSession], settings: Settings
) -> int:
    """Ensure one Schedule per connected account; returns how many were created."""
    async with transaction(session_factory) as session:
        accounts = await AnalyticsRepository(session).connected_accounts()
    created = 0
    for owner_account_id, social_account_id, profile_id in accounts:
        schedule = analytics_schedule(
            owner_account_id,
            social_account_id,
            profile_id=profile_id,
            task_queue=settings.task_queue,
            every_minutes=settings.analytics_sync_minutes,
            lookback_days=settings.analytics_lookback_days,
        )
        created += await ensure_schedule(client, analytics_schedule_id(social_account_id), schedule)
    logger.info("analytics.schedules_ensured accounts=%d created=%d", len(accounts), created)
    return created
