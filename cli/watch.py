"""Following work the API started: a live progress bar drawn from a batch's counts (or a job's status),
polled until the work ends, then the outcome as an exit code."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from cli.api_client import ApiClient, ExitCode
from domain.batches import BatchStatus
from domain.jobs import JobStatus

BATCH_OUTCOMES = {
    BatchStatus.COMPLETED: ExitCode.OK,
    BatchStatus.PARTIALLY_FAILED: ExitCode.WORK_FAILED,
    BatchStatus.FAILED: ExitCode.WORK_FAILED,
    BatchStatus.CANCELLED: ExitCode.WORK_FAILED,
}
JOB_OUTCOMES = {JobStatus.COMPLETED: ExitCode.OK, JobStatus.FAILED: ExitCode.WORK_FAILED}


def watch_batch(
    api: ApiClient, batch_id: str, console: Console, interval: float = 1.0, sleep: Callable[[float], None] = time.sleep
) -> tuple[dict[str, Any], ExitCode]:
    """Poll ``GET /batches/{id}`` until it ends; the bar counts finished items (completed + failed)."""
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[detail]}"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as progress:
        task = progress.add_task(f"batch {batch_id}", total=None, detail="")
        while True:
            batch = api.get(f"/batches/{batch_id}", include="items")
            counts = batch["counts"]
            finished = counts["completed"] + counts["failed"] + counts["cancelled"]
            detail = f"{counts['completed']} done, {counts['failed']} failed, {counts['running']} running"
            progress.update(task, total=counts["total"], completed=finished, detail=detail)
            outcome = BATCH_OUTCOMES.get(BatchStatus(batch["status"]))
            if outcome is not None:
                progress.update(task, description=f"batch {batch_id} {batch['status']}")
                return batch, outcome
            sleep(interval)


def watch_job(
    api: ApiClient, job_id: str, console: Console, interval: float = 1.0, sleep: Callable[[float], None] = time.sleep
) -> tuple[dict[str, Any], ExitCode]:
    with console.status(f"job {job_id}") as status:
        while True:
            job = api.get(f"/jobs/{job_id}")
            outcome = JOB_OUTCOMES.get(JobStatus(job["status"]))
            if outcome is not None:
                return job, outcome
            status.update(f"job {job_id} ({job['kind']}): {job['status']}")
            sleep(interval)
