"""Reading jobs, and the one way an endpoint that started a job shapes its answer."""

from __future__ import annotations

from fastapi import Response, status
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth import Principal
from core.errors import Forbidden
from core.scopes import Scope
from domain.jobs import JobKind, JobStatus
from store.models import Job
from store.repositories.jobs import JobRepository

ASYNC_RESPONSES_DESCRIPTION = "Still running: poll the Location header"


# The scope each kind of job is started with (see the routes that start them).
JOB_STARTING_SCOPES: dict[JobKind, Scope] = {
    JobKind.WARDROBE: Scope.CHARACTER_WRITE,
    JobKind.ANALYZE_PHOTOS: Scope.CHARACTER_WRITE,
    JobKind.REGENERATE: Scope.CONTENT_GENERATE,
    JobKind.CONTENT_DIRECTIONS: Scope.CONTENT_GENERATE,
    JobKind.FINE_TUNE_CAPTION: Scope.CONTENT_WRITE,
    JobKind.VIDEO: Scope.CONTENT_GENERATE,
    JobKind.VOICE_CAPTION: Scope.CONTENT_GENERATE,
}
_STARTING_BY_VALUE: dict[str, Scope] = {kind.value: scope for kind, scope in JOB_STARTING_SCOPES.items()}


async def get_job(session: AsyncSession, account_id: str, job_id: str) -> Job:
    return await JobRepository(session).get_owned(account_id, job_id)


async def readable_job(session: AsyncSession, principal: Principal, job_id: str) -> Job:
    """The account's job if this key may read it: ``content:read``, or the scope that starts its kind.
    Ownership first, so another account's job is a 404 whatever the key's scopes."""
    job = await get_job(session, principal.account_id, job_id)
    starting = _STARTING_BY_VALUE.get(job.kind)
    if Scope.CONTENT_READ.value in principal.scopes or (starting is not None and starting.value in principal.scopes):
        return job
    needed = Scope.CONTENT_READ.value + (f" or {starting.value}" if starting is not None else "")
    raise Forbidden(
        f"this API key lacks the {needed} scope this job needs", code="missing_scope",
        details={"scope": Scope.CONTENT_READ.value, "alternatives": [starting.value] if starting else []},
    )


def answer_for_job(job: Job, response: Response) -> None:
    """200 when the job finished within the wait, else 202 with where to poll; the job id either way."""
    if job.status in (JobStatus.QUEUED, JobStatus.RUNNING):
        response.status_code = status.HTTP_202_ACCEPTED
        response.headers["Location"] = f"/api/v1/jobs/{job.id}"
    response.headers["X-Job-Id"] = job.id
