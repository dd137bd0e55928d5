"""Job bookkeeping: the job row that ``GET /jobs/:id`` polls, settled when a job's workflow ends."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity

from contracts.jobs import JobOutcome, JobResult
from store.db import transaction
from store.repositories.jobs import JobRepository


def result_row(result: JobResult | None) -> dict[str, Any] | None:
    """What the job row stores: the typed result, snake_case; the API shapes it for the wire. The kind is
    the job row's own column, so it is not repeated inside the result."""
    return None if result is None else result.model_dump(mode="json", exclude={"kind"})


class JobActivities:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self.session_factory = session_factory

    @activity.defn
    async def complete_job(self, outcome: JobOutcome) -> None:
        async with transaction(self.session_factory) as session:
            await JobRepository(session).finish(
                outcome.job_id, outcome.status, result_row(outcome.result), outcome.error
            )
