"""``/jobs/{id}``: the status and result of a short generation job."""

from __future__ import annotations

from fastapi import APIRouter

from api.auth import ContentRead
from api.deps import SessionDep
from api.jobs.schemas import JobOut, job_out
from api.jobs.service import get_job as find_job

router = APIRouter(tags=["jobs"])


@router.get("/jobs/{job_id}", response_model=JobOut, summary="Get a job's status and result")
async def get_job(job_id: str, principal: ContentRead, session: SessionDep) -> JobOut:
    return job_out(await find_job(session, principal.account_id, job_id))
