"""Each connected account's analytics Schedule, as the API manages it: created (or brought up to date) when
the account connects, removed when it disconnects, triggered by ``POST /accounts/{id}/analytics/sync``.
Create-or-update (keeping a pause) is ``core.schedules.ensure_schedule``, shared with the worker's start-up
pass; the Schedule itself is built by ``contracts.analytics.analytics_schedule``, so its shape lives in one
place."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import Depends
from temporalio.client import Schedule
from temporalio.service import RPCError, RPCStatusCode

from api.deps import SettingsDep, TemporalDep
from api.temporal import TemporalGateway, is_unreachable
from contracts.analytics import analytics_schedule, analytics_schedule_id
from core.schedules import ensure_schedule
from core.settings import Settings
from store.models import SocialAccount

logger = logging.getLogger("autopersonas.api.analytics")


class AnalyticsSchedules:
    def __init__(self, temporal: TemporalGateway, settings: Settings) -> None:
        self.temporal = temporal
        self.settings = settings

    def _schedule(self, account: SocialAccount) -> Schedule:
        return analytics_schedule(
            account.account_id,
            account.id,
            profile_id=account.profile_id,
            task_queue=self.settings.task_queue,
            every_minutes=self.settings.analytics_sync_minutes,
            lookback_days=self.settings.analytics_lookback_days,
        )

    async def ensure(self, account: SocialAccount) -> None:
        """Create the account's Schedule, or update an existing one (keeping a pause set in the UI)."""
        schedule_id = analytics_schedule_id(account.id)
        wanted = self._schedule(account)
        client = await self.temporal.client()
        try:
            if await ensure_schedule(client, schedule_id, wanted):
                logger.info("analytics.schedule_created id=%s", schedule_id)
        except RPCError as exc:
            if is_unreachable(exc):
                raise self.temporal.unavailable(exc) from exc
            raise

    async def ensure_quietly(self, account: SocialAccount) -> bool:
        """``ensure`` for a connect that has already committed: a Temporal outage must not undo it. The
        Schedule is created by the account's next ``analytics/sync`` or the worker's next start instead; the
        log says so."""
        try:
            await self.ensure(account)
        except Exception as exc:
            logger.warning("analytics.schedule_not_created account=%s error=%r", account.id, exc)
            return False
        return True

    async def remove(self, social_account_id: str) -> None:
        """Delete the account's Schedule; one already gone is fine."""
        client = await self.temporal.client()
        try:
            await client.get_schedule_handle(analytics_schedule_id(social_account_id)).delete()
        except RPCError as exc:
            if exc.status == RPCStatusCode.NOT_FOUND:
                return
            if is_unreachable(exc):
                raise self.temporal.unavailable(exc) from exc
            raise

    async def trigger(self, account: SocialAccount) -> str:
        """Run the account's sync now through its Schedule (so a run already going is not doubled);
        creates the Schedule first if the connect could not. Returns the Schedule id."""
        await self.ensure(account)
        schedule_id = analytics_schedule_id(account.id)
        client = await self.temporal.client()
        try:
            await client.get_schedule_handle(schedule_id).trigger()
        except RPCError as exc:
            if is_unreachable(exc):
                raise self.temporal.unavailable(exc) from exc
            raise
        return schedule_id


def get_analytics_schedules(temporal: TemporalDep, settings: SettingsDep) -> AnalyticsSchedules:
    return AnalyticsSchedules(temporal, settings)


AnalyticsSchedulesDep = Annotated[AnalyticsSchedules, Depends(get_analytics_schedules)]
