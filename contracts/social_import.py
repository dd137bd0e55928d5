"""Contracts of social import: one workflow per import job (``import-<jobId>``), one activity per page of the
platform's history, one per post whose media is downloaded.

The workflow carries the cursor and the counts in its input, so a ``continue_as_new`` (every few hundred
posts) resumes at the page it was on with the counts so far: a 5,000-post import is many short histories."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from contracts.base import Contract
from domain.imports import ImportStatus

SOCIAL_IMPORT_WORKFLOW = "SocialImportWorkflow"

# Posts asked for per page (platforms clamp it to their own bounds).
PAGE_SIZE = 100
# Posts per run before the workflow continues as new. With media, a post is about eight history events (its
# download activity and its share of workflow tasks; measured by bench/bench_import.py), so 100 posts stay
# under 1,000 events, a tenth of the warning; without media a whole page is one activity.
POSTS_PER_RUN = 100
# Media downloads in flight at once, per import.
MEDIA_WINDOW = 8
# Attempts of one post's media download before the post is recorded failed (a 429 with Retry-After waits).
MEDIA_ATTEMPTS = 5
# How many post failures the job row keeps (the count keeps them all).
MAX_RECORDED_FAILURES = 50


def import_workflow_id(job_id: str) -> str:
    return f"import-{job_id}"


def library_namespace(account_id: str, social_account_id: str) -> str:
    """Where an account's imported media live: content-addressed, so a re-download stores nothing new."""
    return f"{account_id}/library/{social_account_id}"


class ImportCounts(Contract):
    discovered: int = 0
    imported: int = 0
    skipped: int = 0
    failed: int = 0

    def plus(self, other: ImportCounts) -> ImportCounts:
        return ImportCounts(
            discovered=self.discovered + other.discovered,
            imported=self.imported + other.imported,
            skipped=self.skipped + other.skipped,
            failed=self.failed + other.failed,
        )


class SocialImportInput(Contract):
    """The job, and the state a continued run resumes from (``cursor``, ``counts``, ``started``)."""

    job_id: str
    account_id: str
    social_account_id: str
    since: datetime | None = None
    max_posts: int = Field(default=500, ge=1, le=5000)
    include_media: bool = True
    page_size: int = Field(default=PAGE_SIZE, ge=1, le=100)
    posts_per_run: int = Field(default=POSTS_PER_RUN, ge=1)
    cursor: str | None = None
    counts: ImportCounts = ImportCounts()
    started: bool = False
    heartbeat_timeout_seconds: int = Field(default=10, ge=1, description="heartbeat timeout of page and media steps")


class ImportStarted(Contract):
    job_id: str
    run_id: str


class JobRef(Contract):
    job_id: str
    account_id: str
    social_account_id: str


class FetchPageInput(Contract):
    job: JobRef
    cursor: str | None = None
    since: datetime | None = None
    limit: int = Field(ge=1, le=100)


class ImportedItem(Contract):
    """One media item of a post: what to download, and the platform's preview of it."""

    url: str
    media_type: Literal["image", "video"]
    thumbnail_url: str | None = None


class HistoryPost(Contract):
    """One post of the history as the workflow passes it on: small values, no bytes."""

    platform_post_id: str
    url: str | None = None
    text: str = ""
    created_at: datetime
    media_type: Literal["image", "video", "text"]
    media: ImportedItem | None = None
    metrics: dict[str, int] = Field(default_factory=dict)


class HistoryPage(Contract):
    posts: list[HistoryPost]
    next_cursor: str | None = None


class RecordPostsInput(Contract):
    """Posts recorded without a download (text posts, or every post when media are not imported)."""

    job: JobRef
    posts: list[HistoryPost]


class ImportPostInput(Contract):
    job: JobRef
    post: HistoryPost


class PostOutcome(Contract):
    platform_post_id: str
    outcome: Literal["imported", "skipped", "failed"]
    reason: str | None = None


class PostsOutcome(Contract):
    imported: int = 0
    skipped: int = 0


class ProgressInput(Contract):
    job_id: str
    counts: ImportCounts
    cursor: str | None = None
    failures: list[PostOutcome] = Field(default_factory=list)


class FinishImportInput(Contract):
    job_id: str
    counts: ImportCounts
    was_cancelled: bool = False
    error: str | None = None


class ImportDone(Contract):
    job_id: str
    status: ImportStatus
    counts: ImportCounts
