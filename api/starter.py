"""The one way the API starts work on Temporal: ``WorkflowStarter``.

The tracking row (batch, job, publication) is committed first, then the workflow started; if Temporal
refuses or is down, the row is given a typed failure and the caller gets 409/503, so nothing is left
waiting for work that never began. Routes ask for ``StarterDep`` and hand it a small typed spec."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Annotated, Any

from fastapi import Depends
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import WorkflowExecutionStatus, WorkflowHandle
from temporalio.common import TypedSearchAttributes, WorkflowIDConflictPolicy
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from api.deps import SessionDep, SettingsDep, TemporalDep
from api.schemas import ErrorResponse
from api.temporal import TemporalGateway, is_unreachable
from contracts.jobs import job_workflow_id
from contracts.search import search_attributes
from contracts.ui import api_memo, api_path
from core.errors import Conflict, ServiceUnavailable
from core.ids import new_id
from core.settings import Settings
from domain.jobs import JobKind, JobStatus
from store.models import Job
from store.repositories.jobs import JobRepository

logger = logging.getLogger("autopersonas.api.starter")

# The answers an endpoint that starts work may give beyond its 200, documented once for all of them.
STARTS_WORK_RESPONSES: dict[int | str, dict[str, Any]] = {
    202: {"description": "Still running: poll the Location header"},
    409: {"model": ErrorResponse, "description": "Not allowed in the resource's current status, or already running"},
    503: {"model": ErrorResponse, "description": "The workflow engine is unreachable"},
}


def ui_details(launch: WorkflowLaunch) -> str:
    """The Temporal UI's details pane (Markdown): where to read the resource and the ids it concerns."""
    lines = [f"**API:** `GET {api_path(launch.resource_path)}`"]
    lines += [f"- {pair.key.name}: `{pair.value}`" for pair in launch.search_attributes]
    return "\n".join(lines)


class StartFailureCode(StrEnum):
    ALREADY_RUNNING = "already_running"
    NOT_STARTED = "not_started"


@dataclass(frozen=True)
class StartFailure:
    """Why a committed row's workflow did not start; written onto the row by the caller's ``on_failure``."""

    code: StartFailureCode
    message: str


OnStartFailure = Callable[[StartFailure], Awaitable[None]]


async def _nothing_to_record(failure: StartFailure) -> None:
    logger.info("workflow.start_refused code=%s", failure.code)


@dataclass(frozen=True)
class WorkflowLaunch:
    """What to start: the workflow's name, its single input, its id and the operator-facing attributes."""

    workflow: str
    input: BaseModel
    workflow_id: str
    search_attributes: TypedSearchAttributes
    # The Temporal UI's one line about this workflow ("Batch of 20 for Mia Laurent (prof_...)").
    summary: str
    # Where a client reads the resource the workflow drives, under the API prefix ("/batches/bat_..."):
    # kept in the memo and in the details, so an operator can go from the UI to the API.
    resource_path: str
    busy_message: str = "this work is already running"
    id_conflict_policy: WorkflowIDConflictPolicy = WorkflowIDConflictPolicy.FAIL
    on_failure: OnStartFailure = _nothing_to_record

    def start_options(self, task_queue: str) -> dict[str, Any]:
        """The keyword arguments of ``Client.start_workflow`` besides the workflow and its input: what the
        API sends Temporal for this launch (``bench/bench_starts`` sends the same in its anchor)."""
        return {
            "id": self.workflow_id,
            "task_queue": task_queue,
            "search_attributes": self.search_attributes,
            "id_conflict_policy": self.id_conflict_policy,
            "static_summary": self.summary,
            "static_details": ui_details(self),
            "memo": api_memo(self.resource_path),
        }


@dataclass(frozen=True)
class JobSpec:
    """A short job: its kind, the workflow that runs it, and its input built once the job id is known."""

    kind: JobKind
    workflow: str
    account_id: str
    make_input: Callable[[str], BaseModel]
    # The Temporal UI's one line about the job's workflow, e.g. "Regenerate cnt_... for Mia Laurent".
    summary: str
    subject_id: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    workflow_id: str | None = None
    busy_message: str = "this work is already running"
    # Short jobs wait ``SYNC_WAIT_SECONDS`` so a quick one can answer 200; long ones (videos) answer 202 at once.
    wait: bool = True


# Jobs about one content item: their workflows carry its ContentId search attribute.
_CONTENT_JOBS = frozenset({JobKind.REGENERATE, JobKind.FINE_TUNE_CAPTION, JobKind.VIDEO})


class WorkflowStarter:
    """Commits the request's tracking rows, starts workflows and follows or cancels them by id."""

    def __init__(self, session: AsyncSession, temporal: TemporalGateway, settings: Settings) -> None:
        self.session = session
        self.temporal = temporal
        self.settings = settings

    async def start(self, launch: WorkflowLaunch) -> WorkflowHandle[Any, Any]:
        """Commit, then start. ``launch.on_failure`` marks the committed row failed if the start fails."""
        await self.session.commit()
        try:
            client = await self.temporal.client()
            return await client.start_workflow(
                launch.workflow, launch.input, **launch.start_options(self.settings.task_queue)
            )
        except WorkflowAlreadyStartedError as exc:
            await self._record(launch, StartFailure(StartFailureCode.ALREADY_RUNNING, launch.busy_message))
            raise Conflict(launch.busy_message, code="already_running") from exc
        except Exception as exc:
            logger.warning("workflow.start_failed workflow_id=%s error=%r", launch.workflow_id, exc)
            message = "the workflow engine did not accept the start; try again shortly"
            await self._record(launch, StartFailure(StartFailureCode.NOT_STARTED, message))
            if isinstance(exc, ServiceUnavailable):
                raise
            if is_unreachable(exc):
                raise self.temporal.unavailable(exc) from exc
            raise ServiceUnavailable(message, headers={"Retry-After": "5"}) from exc

    async def start_job(self, spec: JobSpec) -> Job:
        """Create the job row, start its workflow and wait a few seconds for it; the row says how it went."""
        job_id = new_id("job")
        repo = JobRepository(self.session)
        job = await repo.add(
            Job(
                id=job_id,
                account_id=spec.account_id,
                kind=spec.kind,
                status=JobStatus.QUEUED,
                subject_id=spec.subject_id,
                params=spec.params,
                workflow_id=spec.workflow_id or job_workflow_id(spec.kind, job_id),
            )
        )

        async def failed(failure: StartFailure) -> None:
            await repo.finish(job_id, JobStatus.FAILED, None, failure.message)

        content_id = spec.subject_id if spec.kind in _CONTENT_JOBS else None
        handle = await self.start(
            WorkflowLaunch(
                workflow=spec.workflow,
                input=spec.make_input(job_id),
                workflow_id=job.workflow_id,
                search_attributes=search_attributes(spec.account_id, content_id=content_id),
                summary=spec.summary,
                resource_path=f"/jobs/{job_id}",
                busy_message=spec.busy_message,
                on_failure=failed,
            )
        )
        if spec.wait:
            await self.wait_briefly(handle)
        await self.session.refresh(job)
        return job

    async def is_running(self, workflow_id: str) -> bool:
        client = await self.temporal.client()
        try:
            description = await client.get_workflow_handle(workflow_id).describe()
        except RPCError as exc:
            if exc.status == RPCStatusCode.NOT_FOUND:
                return False
            if is_unreachable(exc):
                raise self.temporal.unavailable(exc) from exc
            raise
        return description.status == WorkflowExecutionStatus.RUNNING

    async def cancel(self, workflow_id: str, *, wait: bool = False) -> None:
        """Ask the workflow to cancel; with ``wait``, give it ``SYNC_WAIT_SECONDS`` to finish."""
        client = await self.temporal.client()
        handle = client.get_workflow_handle(workflow_id)
        try:
            await handle.cancel()
        except RPCError as exc:
            if is_unreachable(exc):
                raise self.temporal.unavailable(exc) from exc
            raise
        if wait:
            await self.wait_briefly(handle)

    async def wait_briefly(self, handle: WorkflowHandle[Any, Any]) -> bool:
        """True when the workflow closed within ``SYNC_WAIT_SECONDS`` (successfully or not)."""
        seconds = self.settings.sync_wait_seconds
        if seconds <= 0:
            return False
        try:
            await asyncio.wait_for(handle.result(), seconds)
        except TimeoutError:
            return False
        except Exception:
            return True
        return True

    async def _record(self, launch: WorkflowLaunch, failure: StartFailure) -> None:
        await launch.on_failure(failure)
        await self.session.commit()


async def get_starter(session: SessionDep, temporal: TemporalDep, settings: SettingsDep) -> WorkflowStarter:
    return WorkflowStarter(session, temporal, settings)


StarterDep = Annotated[WorkflowStarter, Depends(get_starter)]
