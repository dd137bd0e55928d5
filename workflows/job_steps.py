"""The shape every short job workflow shares: run its step, record the outcome on the job row, and fail
visibly in Temporal when the step failed for good."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.jobs import JobActivities
    from contracts.jobs import JobOutcome, JobResult
    from domain.jobs import JobStatus
    from workflows.options import BOOKKEEPING_RETRY, BOOKKEEPING_TIMEOUT, PROVIDER_RETRY, PROVIDER_TIMEOUT, failure_of

InputT = TypeVar("InputT")
ResultT = TypeVar("ResultT", bound=JobResult)


async def run_job_step(step: Callable[[Any, InputT], Awaitable[ResultT]], input: InputT, job_id: str) -> ResultT:
    try:
        result: ResultT = await workflow.execute_activity_method(
            step, input, start_to_close_timeout=PROVIDER_TIMEOUT, retry_policy=PROVIDER_RETRY
        )
    except ActivityError as error:
        code, message = failure_of(error)
        await record(JobOutcome(job_id=job_id, status=JobStatus.FAILED, error=f"{code}: {message}"))
        raise ApplicationError(message, type=code, non_retryable=True) from error
    await record(JobOutcome(job_id=job_id, status=JobStatus.COMPLETED, result=result))
    return result


async def record(outcome: JobOutcome) -> None:
    await workflow.execute_activity_method(
        JobActivities.complete_job, outcome, start_to_close_timeout=BOOKKEEPING_TIMEOUT, retry_policy=BOOKKEEPING_RETRY
    )
