"""Import jobs on the wire: the start body, and the job with its counts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import ConfigDict, Field, StrictBool, field_validator

from core.wire import InputSchema, Instant, Schema
from domain.imports import DEFAULT_MAX_POSTS, MAX_POSTS_LIMIT, ImportPlatform, ImportStatus
from store.models import ImportJob


class ImportCreate(InputSchema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "accountId": "acc_3k9x2m7q1w8e5r4t",
                    "since": "2026-01-01T00:00:00Z",
                    "maxPosts": 200,
                    "includeMedia": True,
                }
            ]
        }
    )

    account_id: str = Field(min_length=1, max_length=40, description="A connected account of this platform")
    since: Instant | None = Field(default=None, description="Only posts created at or after this (date or time)")
    max_posts: int = Field(default=DEFAULT_MAX_POSTS, ge=1, le=MAX_POSTS_LIMIT)
    include_media: StrictBool = Field(default=True, description="Download each post's media into our storage")

    @field_validator("since")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        # A bare date or a naive time means UTC.
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class ImportCountsOut(Schema):
    discovered: int
    imported: int
    skipped: int
    failed: int


class ImportFailureOut(Schema):
    platform_post_id: str
    reason: str | None


class ImportJobOut(Schema):
    id: str
    platform: ImportPlatform
    account_id: str
    profile_id: str | None
    status: ImportStatus
    counts: ImportCountsOut
    since: datetime | None
    max_posts: int
    include_media: bool
    failures: list[ImportFailureOut]
    error: str | None
    workflow_id: str
    run_id: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


def import_job_out(job: ImportJob) -> ImportJobOut:
    failures: list[dict[str, Any]] = list(job.failures or [])
    return ImportJobOut(
        id=job.id,
        platform=ImportPlatform(job.platform),
        account_id=job.social_account_id,
        profile_id=job.profile_id,
        status=ImportStatus(job.status),
        counts=ImportCountsOut(
            discovered=job.discovered, imported=job.imported, skipped=job.skipped, failed=job.failed
        ),
        since=job.since,
        max_posts=job.max_posts,
        include_media=job.include_media,
        failures=[ImportFailureOut(platform_post_id=f["platformPostId"], reason=f.get("reason")) for f in failures],
        error=job.error,
        workflow_id=job.workflow_id,
        run_id=job.run_id,
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
    )
