"""Reading jobs, and the one way an endpoint that started a job shapes its answer."""

from __future__ import annotations

from fastapi import Response, status
from sqlalchemy.ext.asyncio import AsyncSession

from domain.jobs import JobStatus
from store.models import Job
from store.repositories.jobs import JobRepository

ASYNC_RESPONSES_DESCRIPTION = "Still running: poll the Location header"


async def get_job(session: AsyncSession, account_id: str, job_id: str) -> Job:
    return await JobRepository(session).get_owned(account_id, job_id)


def answer_for_job(job: Job, response: Response) -> None:
    """200 when the job finished within the wait, else 202 with where to poll; the job id either way."""
    if job.status in (JobStatus.QUEUED, JobStatus.RUNNING):
        response.status_code = status.HTTP_202_ACCEPTED
        response.headers["Location"] = f"/api/v1/jobs/{job.id}"
    response.headers["X-Job-Id"] = job.id
