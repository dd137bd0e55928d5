"""Job read model: a short generation's status and typed result."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import TypeAdapter

from contracts.jobs import JobResult
from core.casing import camelize
from core.wire import Schema
from domain.jobs import JobKind, JobStatus
from store.models import Job


class JobOut(Schema):
    id: str
    kind: str
    status: JobStatus
    subject_id: str | None
    result: dict[str, Any] | None
    error: str | None
    workflow_id: str
    created_at: datetime
    finished_at: datetime | None


_JOB_RESULT: TypeAdapter[JobResult] = TypeAdapter(JobResult)


def job_out(job: Job) -> JobOut:
    return JobOut(
        id=job.id,
        kind=job.kind,
        status=job.status,
        subject_id=job.subject_id,
        result=job_result_out(job),
        error=job.error,
        workflow_id=job.workflow_id,
        created_at=job.created_at,
        finished_at=job.finished_at,
    )


def job_result_out(job: Job) -> dict[str, Any] | None:
    """The stored result as the wire shows it. The worker stores the typed result snake_case (rows from
    before typed results hold camelCase, which validates too); here it is checked against its model and
    turned into camelCase, like every other field of the API."""
    if job.result is None:
        return None
    if job.kind not in set(JobKind):
        return camelize(job.result)
    result = _JOB_RESULT.validate_python({**job.result, "kind": job.kind})
    return camelize(result.model_dump(mode="json", exclude={"kind"}))
