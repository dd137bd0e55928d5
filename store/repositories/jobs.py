"""Jobs (short generations) and previews."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select

from domain.jobs import FINISHED_JOB_STATUSES, JobStatus, check_job_transition
from store.models import Job, Preview
from store.pagination import Page, paginate
from store.repositories.base import OwnedRepository
from store.types import utcnow


class JobRepository(OwnedRepository[Job]):
    model = Job
    noun = "job"



    async def queued_before(self, when: datetime, limit: int) -> Sequence[Job]:
        """Jobs still queued that were created before ``when`` (candidates for the stranded-work reconciler)."""
        query = select(Job).where(Job.status == JobStatus.QUEUED, Job.created_at < when)
        query = query.order_by(Job.created_at).limit(limit)
        return (await self.session.scalars(query)).all()

    async def get_any(self, job_id: str) -> Job | None:
        return await self.session.get(Job, job_id)

    async def finish(self, job_id: str, status: str, result: dict[str, Any] | None, error: str | None) -> None:
        """Settle the job once (``status`` is a ``JobStatus`` value); a repeated settle, as from a retried
        activity, finds it finished and changes nothing."""
        job = await self.get_any(job_id)
        if job is None or job.status in FINISHED_JOB_STATUSES:
            return
        new = JobStatus(status)
        check_job_transition(job.status, new)
        job.status = new
        job.result = result
        job.error = error
        job.finished_at = utcnow()
        job.updated_at = utcnow()
        await self.session.flush()

    async def mark_running(self, job_id: str, progress: dict[str, Any] | None = None) -> None:
        job = await self.get_any(job_id)
        if job is not None and job.status == JobStatus.QUEUED:
            job.status = JobStatus.RUNNING
        if job is not None and progress is not None:
            job.progress = progress
        await self.session.flush()


class PreviewRepository(OwnedRepository[Preview]):
    model = Preview
    noun = "preview"

    async def add_if_missing(self, preview: Preview) -> Preview:
        existing = await self.session.get(Preview, preview.id)
        if existing is not None:
            return existing
        self.session.add(preview)
        await self.session.flush()
        return preview


    async def list(
        self, account_id: str, influencer_id: str, *, limit: int, cursor: str | None, batch_id: str | None = None
    ) -> Page[Preview]:
        query = select(Preview).where(Preview.account_id == account_id, Preview.influencer_id == influencer_id)
        if batch_id:
            query = query.where(Preview.batch_id == batch_id)
        return await paginate(
            self.session, query, created_col=Preview.created_at, id_col=Preview.id, limit=limit, cursor=cursor
        )

    async def for_batch(self, batch_id: str) -> Sequence[Preview]:
        return (await self.session.scalars(select(Preview).where(Preview.batch_id == batch_id))).all()
