"""Which event each outcome is, and its ``data``: the resource's fields as the API shows them (camelCase),
built from the row the outcome was just written to. The API's full presenters live in ``api/``, which
activities may not import; these carry the same names for the fields a receiver acts on, and the id to
fetch the rest with."""

from __future__ import annotations

from typing import Any

from domain.batches import BatchStatus
from domain.imports import ImportStatus
from domain.jobs import JobKind, JobStatus
from domain.webhooks import EventType
from store.models import Batch, ImportJob, Job, Publication, SocialAccount


def _time(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def batch_event(status: str) -> EventType | None:
    """Finished with results (some items may have failed) or failed outright; a cancelled batch is no event."""
    if status in (BatchStatus.COMPLETED, BatchStatus.PARTIALLY_FAILED):
        return EventType.BATCH_COMPLETED
    if status == BatchStatus.FAILED:
        return EventType.BATCH_FAILED
    return None


def batch_data(batch: Batch, completed: int, failed: int, cancelled: int) -> dict[str, Any]:
    return {
        "id": batch.id,
        "kind": batch.kind,
        "status": batch.status,
        "counts": {"total": batch.total, "completed": completed, "failed": failed, "cancelled": cancelled},
        "influencerId": batch.influencer_id,
        "profileId": batch.profile_id,
        "error": batch.error,
        "createdAt": _time(batch.created_at),
        "finishedAt": _time(batch.finished_at),
    }


def publication_data(publication: Publication) -> dict[str, Any]:
    return {
        "id": publication.id,
        "contentId": publication.content_id,
        "accountId": publication.social_account_id,
        "platform": publication.platform,
        "status": publication.status,
        "round": publication.round,
        "platformPostId": publication.platform_post_id,
        "url": publication.url,
        "errorCode": publication.error_code,
        "error": publication.error_message,
        "publishedAt": _time(publication.published_at),
    }


def video_event(job: Job) -> EventType | None:
    if job.kind != JobKind.VIDEO:
        return None
    return EventType.VIDEO_COMPLETED if job.status == JobStatus.COMPLETED else EventType.VIDEO_FAILED


def job_data(job: Job) -> dict[str, Any]:
    return {
        "id": job.id,
        "kind": job.kind,
        "status": job.status,
        "contentId": job.subject_id,
        "result": job.result,
        "error": job.error,
        "createdAt": _time(job.created_at),
        "finishedAt": _time(job.finished_at),
    }


def import_event(status: str) -> EventType | None:
    if status in (ImportStatus.COMPLETED, ImportStatus.PARTIALLY_FAILED):
        return EventType.IMPORT_COMPLETED
    if status == ImportStatus.FAILED:
        return EventType.IMPORT_FAILED
    return None


def import_data(job: ImportJob) -> dict[str, Any]:
    return {
        "id": job.id,
        "platform": job.platform,
        "accountId": job.social_account_id,
        "profileId": job.profile_id,
        "status": job.status,
        "counts": {
            "discovered": job.discovered,
            "imported": job.imported,
            "skipped": job.skipped,
            "failed": job.failed,
        },
        "error": job.error,
        "finishedAt": _time(job.finished_at),
    }


def account_data(account: SocialAccount) -> dict[str, Any]:
    return {
        "id": account.id,
        "platform": account.platform,
        "handle": account.handle,
        "profileId": account.profile_id,
        "status": account.status,
    }
