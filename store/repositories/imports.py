"""Import jobs and the media library. Library rows are unique per connected account and platform post id:
an insert that meets an existing row is a skip, never a second row. Job counts are written whole (the
workflow holds them), never incremented, so a retried progress step only sets the truth again."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from domain.imports import OPEN_IMPORT_STATUSES, ImportStatus, check_import_transition
from store.models import ImportJob, MediaLibraryItem
from store.pagination import Page, paginate
from store.repositories.base import OwnedRepository
from store.types import utcnow


class ImportJobRepository(OwnedRepository[ImportJob]):
    model = ImportJob
    noun = "import job"

    async def get_any(self, job_id: str) -> ImportJob | None:
        return await self.session.get(ImportJob, job_id)

    async def queued_before(self, when: datetime, limit: int) -> Sequence[ImportJob]:
        """Imports still queued that were created before ``when`` (candidates for the stranded-work reconciler)."""
        query = (
            select(ImportJob)
            .where(ImportJob.status == ImportStatus.QUEUED, ImportJob.created_at < when)
            .order_by(ImportJob.created_at)
            .limit(limit)
        )
        return (await self.session.scalars(query)).all()

    async def open_for_account(self, social_account_id: str) -> ImportJob | None:
        """The import of this connected account still queued or running, if any."""
        query = (
            select(ImportJob)
            .where(ImportJob.social_account_id == social_account_id, ImportJob.status.in_(OPEN_IMPORT_STATUSES))
            .order_by(ImportJob.created_at.desc())
            .limit(1)
        )
        return await self.session.scalar(query)

    async def mark(self, job: ImportJob, status: ImportStatus, **fields: Any) -> ImportJob:
        check_import_transition(job.status, status)
        job.status = status
        for name, value in fields.items():
            setattr(job, name, value)
        job.updated_at = utcnow()
        await self.session.flush()
        return job


class MediaLibraryRepository(OwnedRepository[MediaLibraryItem]):
    model = MediaLibraryItem
    noun = "media library item"

    async def existing(self, social_account_id: str, platform_post_id: str) -> MediaLibraryItem | None:
        return await self.session.scalar(
            select(MediaLibraryItem).where(
                MediaLibraryItem.social_account_id == social_account_id,
                MediaLibraryItem.platform_post_id == platform_post_id,
            )
        )

    async def existing_ids(self, social_account_id: str, platform_post_ids: Sequence[str]) -> dict[str, str | None]:
        """Platform post id -> the import job that brought it in, for those already in the library."""
        if not platform_post_ids:
            return {}
        rows = await self.session.execute(
            select(MediaLibraryItem.platform_post_id, MediaLibraryItem.import_job_id).where(
                MediaLibraryItem.social_account_id == social_account_id,
                MediaLibraryItem.platform_post_id.in_(platform_post_ids),
            )
        )
        return {post_id: job_id for post_id, job_id in rows.all()}

    async def insert_new(self, item: MediaLibraryItem) -> bool:
        """Insert unless the post is already there (a concurrent insert included): True when inserted."""
        try:
            async with self.session.begin_nested():
                self.session.add(item)
                await self.session.flush()
        except IntegrityError:
            return False
        return True

    async def count_for_job(self, import_job_id: str) -> int:
        query = select(func.count()).where(MediaLibraryItem.import_job_id == import_job_id)
        return int(await self.session.scalar(query) or 0)

    async def list_for_profile(
        self,
        account_id: str,
        profile_id: str,
        *,
        limit: int,
        cursor: str | None,
        platform: str | None = None,
        media_type: str | None = None,
        since: datetime | None = None,
    ) -> Page[MediaLibraryItem]:
        """Newest post first; the cursor is over ``(posted_at, id)``."""
        query = select(MediaLibraryItem).where(
            MediaLibraryItem.account_id == account_id, MediaLibraryItem.profile_id == profile_id
        )
        if platform:
            query = query.where(MediaLibraryItem.platform == platform)
        if media_type:
            query = query.where(MediaLibraryItem.media_type == media_type)
        if since is not None:
            query = query.where(MediaLibraryItem.posted_at >= since)
        return await paginate(
            self.session,
            query,
            created_col=MediaLibraryItem.posted_at,
            id_col=MediaLibraryItem.id,
            limit=limit,
            cursor=cursor,
        )
