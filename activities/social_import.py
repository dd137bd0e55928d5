"""Social import steps: begin the job, read one page of the account's history, record posts with nothing to
download, download one post's media into storage and record it, write progress, and settle the job.

Every step is idempotent. Library rows are unique per connected account and platform post id: a retried
step that meets the row it inserted itself (same import job) counts it imported, a row from an earlier
import counts skipped. Media are stored content-addressed, so a download retried after a crash stores the
same key again rather than a second file. Downloads go through the one safe URL fetcher: platform CDNs are
public hosts, and nothing else is fetched."""

from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.errors import gone, provider_errors, refused_transition
from activities.heartbeat import heartbeat_while, heartbeating
from activities.social import connected_credentials
from activities.webhook_dispatch import dispatch_recorded
from activities.webhook_events import import_data, import_event
from contracts.social_import import (
    MAX_RECORDED_FAILURES,
    FetchPageInput,
    FinishImportInput,
    HistoryPage,
    HistoryPost,
    ImportCounts,
    ImportDone,
    ImportedItem,
    ImportPostInput,
    ImportStarted,
    JobRef,
    PostOutcome,
    PostsOutcome,
    ProgressInput,
    RecordPostsInput,
    library_namespace,
)
from core.crypto import TokenCipher
from core.errors import UrlFetchFailed
from core.ids import new_id
from core.settings import Settings
from domain.imports import FINISHED_IMPORT_STATUSES, ImportStatus, import_outcome
from providers.safe_fetch import FetchPolicy, fetch_url
from providers.social.base import ImportedPost, SocialPlatform
from providers.storage.base import MediaStorage
from store.db import transaction
from store.models import ImportJob, MediaLibraryItem
from store.repositories.imports import ImportJobRepository, MediaLibraryRepository
from store.repositories.webhooks import record_event
from store.types import utcnow

MEDIA_FETCH_FAILED = "MediaFetchFailed"
# Caps of one download: platform videos are short clips; pictures are far smaller.
MAX_VIDEO_BYTES = 64 * 1024 * 1024
MAX_IMAGE_BYTES = 16 * 1024 * 1024
DOWNLOAD_SECONDS = 60.0


def history_post(post: ImportedPost) -> HistoryPost:
    """The post as the workflow carries it: its primary media item (the video, if it has one) and its counters."""
    kind = post.media_type
    primary = next((m for m in post.media if m.media_type == kind), None)
    metrics = post.metrics.model_dump(include={"likes", "comments", "shares", "views"}) if post.metrics else {}
    return HistoryPost(
        platform_post_id=post.platform_post_id,
        url=post.url,
        text=post.text,
        created_at=post.created_at,
        media_type=kind,
        media=ImportedItem(url=primary.url, media_type=primary.media_type, thumbnail_url=primary.thumbnail_url)
        if primary
        else None,
        metrics={name: value for name, value in metrics.items() if value is not None},
    )


def _library_row(
    job: ImportJob, post: HistoryPost, media_key: str | None, thumbnail_key: str | None
) -> MediaLibraryItem:
    return MediaLibraryItem(
        id=new_id("med"),
        account_id=job.account_id,
        profile_id=job.profile_id,
        social_account_id=job.social_account_id,
        platform=job.platform,
        platform_post_id=post.platform_post_id,
        post_url=post.url,
        media_type=post.media_type,
        media_key=media_key,
        thumbnail_key=thumbnail_key,
        caption=post.text,
        posted_at=post.created_at,
        metrics=dict(post.metrics),
        import_job_id=job.id,
        imported_at=utcnow(),
    )


def _outcome(post_id: str, existing_job_id: str | None, job_id: str) -> PostOutcome:
    # The row this very job inserted on an attempt that died before answering is this job's import.
    return PostOutcome(platform_post_id=post_id, outcome="imported" if existing_job_id == job_id else "skipped")


class SocialImportActivities:
    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        platforms: dict[str, SocialPlatform],
        storage: MediaStorage,
        cipher: TokenCipher,
        settings: Settings,
    ) -> None:
        self.session_factory = session_factory
        self.platforms = platforms
        self.storage = storage
        self.cipher = cipher
        self.settings = settings

    @activity.defn
    async def begin_import(self, input: ImportStarted) -> None:
        async with transaction(self.session_factory) as session:
            repo = ImportJobRepository(session)
            job = await repo.get_any(input.job_id)
            if job is None:
                raise gone(f"import job {input.job_id}")
            with refused_transition():
                await repo.mark(job, ImportStatus.RUNNING, started_at=job.started_at or utcnow(), run_id=input.run_id)

    @activity.defn
    @heartbeating
    async def fetch_page(self, input: FetchPageInput) -> HistoryPage:
        job = input.job
        with provider_errors():
            platform, credentials = await connected_credentials(
                self.session_factory, self.cipher, self.platforms, job.account_id, job.social_account_id
            )
            page = await platform.list_posts(credentials, input.cursor, input.limit, input.since)
        activity.logger.info("import.page job=%s posts=%d more=%s", job.job_id, len(page.posts), bool(page.next_cursor))
        return HistoryPage(posts=[history_post(p) for p in page.posts], next_cursor=page.next_cursor)

    @activity.defn
    @heartbeating
    async def record_posts(self, input: RecordPostsInput) -> PostsOutcome:
        """Posts stored without a download (text posts, or all of them when media are not imported)."""
        async with transaction(self.session_factory) as session:
            job = await self._job(session, input.job)
            library = MediaLibraryRepository(session)
            existing = await library.existing_ids(job.social_account_id, [p.platform_post_id for p in input.posts])
            imported = skipped = 0
            for post in input.posts:
                if post.platform_post_id in existing:
                    outcome = _outcome(post.platform_post_id, existing[post.platform_post_id], job.id).outcome
                elif await library.insert_new(_library_row(job, post, None, None)):
                    outcome = "imported"
                else:
                    outcome = "skipped"
                imported += outcome == "imported"
                skipped += outcome == "skipped"
        return PostsOutcome(imported=imported, skipped=skipped)

    @activity.defn
    async def import_post(self, input: ImportPostInput) -> PostOutcome:
        """Download one post's media into storage, then record the post. A post already in the library is not
        downloaded again."""
        post = input.post
        async with transaction(self.session_factory) as session:
            job = await self._job(session, input.job)
            row = await MediaLibraryRepository(session).existing(job.social_account_id, post.platform_post_id)
            if row is not None:
                return _outcome(post.platform_post_id, row.import_job_id, job.id)
        media_key = thumbnail_key = None
        if post.media is not None:
            namespace = library_namespace(input.job.account_id, input.job.social_account_id)
            media_key = await heartbeat_while(self._store(namespace, post.media.url, post.media.media_type))
            if post.media.thumbnail_url:
                thumbnail_key = await heartbeat_while(self._store(namespace, post.media.thumbnail_url, "image"))
        async with transaction(self.session_factory) as session:
            library = MediaLibraryRepository(session)
            if await library.insert_new(_library_row(job, post, media_key, thumbnail_key)):
                return PostOutcome(platform_post_id=post.platform_post_id, outcome="imported")
            row = await library.existing(job.social_account_id, post.platform_post_id)
            return _outcome(post.platform_post_id, row.import_job_id if row else None, job.id)

    async def _store(self, namespace: str, url: str, media_type: str) -> str:
        cap = MAX_VIDEO_BYTES if media_type == "video" else MAX_IMAGE_BYTES
        policy = FetchPolicy.from_settings(self.settings, max_bytes=cap, deadline_seconds=DOWNLOAD_SECONDS)
        try:
            fetched = await fetch_url(url, "media", policy)
        except UrlFetchFailed as exc:
            # Retryable: a CDN hiccup passes. After the last attempt the workflow records the post failed with
            # this message (the fetcher logged the exact cause; the host is enough for the job's reader).
            raise ApplicationError(
                f"{media_type} from {urlsplit(url).hostname or 'an unknown host'} could not be fetched",
                type=MEDIA_FETCH_FAILED,
            ) from exc
        content_type = fetched.content_type.split(";", 1)[0].strip().lower() or "application/octet-stream"
        return await self.storage.put(namespace, fetched.data, content_type)

    @activity.defn
    async def record_progress(self, input: ProgressInput) -> None:
        async with transaction(self.session_factory) as session:
            job = await ImportJobRepository(session).get_any(input.job_id)
            if job is None:
                raise gone(f"import job {input.job_id}")
            _write_counts(job, input.counts)
            job.cursor = input.cursor
            if input.failures:
                known = {f["platformPostId"] for f in job.failures}
                new = [
                    {"platformPostId": f.platform_post_id, "reason": f.reason}
                    for f in input.failures
                    if f.platform_post_id not in known
                ]
                job.failures = [*job.failures, *new][-MAX_RECORDED_FAILURES:]
            job.updated_at = utcnow()

    @activity.defn
    async def finish_import(self, input: FinishImportInput) -> ImportDone:
        async with transaction(self.session_factory) as session:
            repo = ImportJobRepository(session)
            job = await repo.get_any(input.job_id)
            if job is None:
                raise gone(f"import job {input.job_id}")
            # Posts of a page cut short by a cancellation are in the library without being counted yet.
            landed = await MediaLibraryRepository(session).count_for_job(job.id)
            counts = input.counts.model_copy(update={"imported": max(input.counts.imported, landed)})
            if job.status not in FINISHED_IMPORT_STATUSES:
                status = (
                    ImportStatus.FAILED
                    if input.error and not input.was_cancelled
                    else import_outcome(
                        imported=counts.imported,
                        skipped=counts.skipped,
                        failed=counts.failed,
                        was_cancelled=input.was_cancelled,
                    )
                )
                _write_counts(job, counts)
                await repo.mark(job, status, finished_at=utcnow(), error=input.error)
            activity.logger.info("import.finished job=%s status=%s counts=%s", job.id, job.status, counts)
            done = ImportDone(job_id=job.id, status=ImportStatus(job.status), counts=counts)
            event_type = import_event(job.status)
            event = None
            if event_type is not None:
                event = await record_event(session, job.account_id, event_type, import_data(job), key=job.id)
        await dispatch_recorded(self.session_factory, [event.id] if event is not None else [])
        return done

    async def _job(self, session: AsyncSession, ref: JobRef) -> ImportJob:
        job = await ImportJobRepository(session).get_any(ref.job_id)
        if job is None:
            raise gone(f"import job {ref.job_id}")
        return job


def _write_counts(job: ImportJob, counts: ImportCounts) -> None:
    job.discovered = counts.discovered
    job.imported = counts.imported
    job.skipped = counts.skipped
    job.failed = counts.failed
