"""The campaign's Temporal Schedule, from the API: create, change in place, pause, resume, delete. Built
by ``contracts.campaign_schedule`` (the one builder); an unreachable Temporal answers 503."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Annotated

from fastapi import Depends
from temporalio.client import ScheduleHandle, ScheduleUpdate, ScheduleUpdateInput
from temporalio.service import RPCError, RPCStatusCode

from api.deps import SettingsDep, TemporalDep
from api.temporal import TemporalGateway, is_unreachable
from contracts.campaign_schedule import (
    CampaignScheduleSpec,
    build_campaign_schedule,
    campaign_memo,
    campaign_search_attributes,
)
from core.settings import Settings


class CampaignSchedules:
    def __init__(self, temporal: TemporalGateway, settings: Settings) -> None:
        self.temporal = temporal
        self.settings = settings

    @asynccontextmanager
    async def _handle(self, schedule_id: str) -> AsyncIterator[ScheduleHandle]:
        try:
            client = await self.temporal.client()
            yield client.get_schedule_handle(schedule_id)
        except RPCError as exc:
            if is_unreachable(exc):
                raise self.temporal.unavailable(exc) from exc
            raise

    async def create(self, schedule_id: str, spec: CampaignScheduleSpec) -> None:
        try:
            client = await self.temporal.client()
            await client.create_schedule(
                schedule_id,
                build_campaign_schedule(
                    spec,
                    task_queue=self.settings.task_queue,
                    catchup=timedelta(minutes=self.settings.campaign_catchup_minutes),
                ),
                memo=campaign_memo(spec),
                search_attributes=campaign_search_attributes(spec),
            )
        except RPCError as exc:
            if is_unreachable(exc):
                raise self.temporal.unavailable(exc) from exc
            raise

    async def replace(self, schedule_id: str, spec: CampaignScheduleSpec) -> None:
        """Change the Schedule in place: same id, new spec, action and state."""
        wanted = build_campaign_schedule(
            spec, task_queue=self.settings.task_queue, catchup=timedelta(minutes=self.settings.campaign_catchup_minutes)
        )

        async def update(_: ScheduleUpdateInput) -> ScheduleUpdate:
            return ScheduleUpdate(schedule=wanted, search_attributes=campaign_search_attributes(spec))

        async with self._handle(schedule_id) as handle:
            await handle.update(update)

    async def pause(self, schedule_id: str, note: str) -> None:
        async with self._handle(schedule_id) as handle:
            await handle.pause(note=note)

    async def resume(self, schedule_id: str, note: str) -> None:
        async with self._handle(schedule_id) as handle:
            await handle.unpause(note=note)

    async def delete(self, schedule_id: str) -> None:
        """Delete it; one already gone is fine (a run of an ended campaign may have deleted it)."""
        try:
            async with self._handle(schedule_id) as handle:
                await handle.delete()
        except RPCError as exc:
            if exc.status != RPCStatusCode.NOT_FOUND:
                raise


def get_schedules(temporal: TemporalDep, settings: SettingsDep) -> CampaignSchedules:
    return CampaignSchedules(temporal, settings)


SchedulesDep = Annotated[CampaignSchedules, Depends(get_schedules)]
