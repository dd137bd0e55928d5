"""``/jobs/{id}``: the status and result of a short generation job."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from api.auth import Principal, require_any
from api.deps import SessionDep
from api.jobs.schemas import JobOut, job_out
from api.jobs.service import JOB_STARTING_SCOPES, readable_job
from core.scopes import Scope

router = APIRouter(tags=["jobs"])

# content:read reads every job; a key that may start some kind of job may poll the jobs of that kind, so the
# Location a start answers with is readable by the key that got it. The route narrows by kind once loaded.
JobReader = Annotated[Principal, Depends(require_any(Scope.CONTENT_READ, *JOB_STARTING_SCOPES.values()))]


@router.get(
    "/jobs/{job_id}",
    response_model=JobOut,
    summary="Get a job's status and result",
    description="Readable with `content:read`, or with the scope that starts the job's kind: `character:write` "
    "(wardrobe, analyze_photos), `content:generate` (regenerate, content_directions, video), `content:write` "
    "(fine_tune_caption).",
)
async def get_job(job_id: str, principal: JobReader, session: SessionDep) -> JobOut:
    return job_out(await readable_job(session, principal, job_id))
