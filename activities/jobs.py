"""Job bookkeeping: the job row that ``GET /jobs/:id`` polls, settled when a job's workflow ends."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity

from activities.webhook_dispatch import dispatch_recorded
from activities.webhook_events import job_data, video_event
from contracts.jobs import JobOutcome, JobResult
from store.db import transaction
from store.repositories.jobs import JobRepository
from store.repositories.webhooks import record_event


def result_row(result: JobResult | None) -> dict[str, Any] | None:
    """What the job row stores: the typed result, snake_case; the API shapes it for the wire. The kind is
    the job row's own column, so it is not repeated inside the result."""
    return None if result is None else result.model_dump(mode="json", exclude={"kind"})


class JobActivities:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self.session_factory = session_factory

    @activity.defn
    async def complete_job(self, outcome: JobOutcome) -> None:
        """Settle the job; a video job records ``video.completed``/``video.failed`` with it."""
        events: list[str] = []
        async with transaction(self.session_factory) as session:
            repo = JobRepository(session)
            await repo.finish(outcome.job_id, outcome.status, result_row(outcome.result), outcome.error)
            job = await repo.get_any(outcome.job_id)
            event_type = video_event(job) if job is not None and job.status == outcome.status else None
            if job is not None and event_type is not None:
                events.append((await record_event(session, job.account_id, event_type, job_data(job), key=job.id)).id)
        await dispatch_recorded(self.session_factory, events)
