"""Import one connected account's history into the media library: one activity per page of the platform's
history, then the page's posts (one download activity per post with media, a bounded number at a time; one
bookkeeping activity for the posts with nothing to download), then the progress onto the job row.

The cursor and the counts live in this workflow's state and travel through ``continue_as_new`` every
``posts_per_run`` posts, so a killed worker resumes at the page it was on and a 5,000-post import stays far
below the history limits. A 429 is retried after the platform's reset time (``provider_errors`` sets the
next retry delay), so rate limits slow an import down rather than fail it. Cancellation ends the job
``cancelled`` with the counts so far."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError, CancelledError

with workflow.unsafe.imports_passed_through():
    from activities.social_import import MEDIA_FETCH_FAILED, SocialImportActivities
    from contracts.social_import import (
        MEDIA_ATTEMPTS,
        MEDIA_WINDOW,
        SOCIAL_IMPORT_WORKFLOW,
        FetchPageInput,
        FinishImportInput,
        HistoryPost,
        ImportCounts,
        ImportDone,
        ImportPostInput,
        ImportStarted,
        JobRef,
        PostOutcome,
        ProgressInput,
        RecordPostsInput,
        SocialImportInput,
    )
    from workflows.options import BOOKKEEPING_RETRY, BOOKKEEPING_TIMEOUT, NON_RETRYABLE, failure_of

# Pages: a rate-limited platform may make us wait many times over a long import, so retry for a long while;
# each wait is the platform's own reset time when it gives one.
PAGE_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(minutes=2),
    maximum_attempts=30,
    non_retryable_error_types=NON_RETRYABLE,
)
# One post's media: a few attempts, then the post is counted failed with its reason and the import goes on.
MEDIA_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=30),
    maximum_attempts=MEDIA_ATTEMPTS,
    non_retryable_error_types=NON_RETRYABLE,
)
STEP_TIMEOUT = timedelta(minutes=5)


def _cancelled(error: ActivityError) -> bool:
    """An activity cut short because this workflow is being cancelled (not a failure of the step)."""
    return isinstance(error.cause, CancelledError)


def _reason(error: ActivityError) -> str:
    """The download's own message where it gave one (it names the host), else the root cause's safe text."""
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, ApplicationError) and cause.type == MEDIA_FETCH_FAILED:
            return cause.message
        cause = cause.__cause__
    return failure_of(error)[1]


@workflow.defn(name=SOCIAL_IMPORT_WORKFLOW)
class SocialImportWorkflow:
    def __init__(self) -> None:
        self._counts = ImportCounts()

    @workflow.query
    def counts(self) -> ImportCounts:
        return self._counts

    def _show_progress(self, max_posts: int) -> None:
        """The Temporal UI's current details: what this import has done so far."""
        counts = self._counts
        workflow.set_current_details(
            f"{counts.discovered}/{max_posts} posts: {counts.imported} imported, {counts.skipped} skipped, "
            f"{counts.failed} failed"
        )

    @workflow.run
    async def run(self, input: SocialImportInput) -> ImportDone:
        job = JobRef(job_id=input.job_id, account_id=input.account_id, social_account_id=input.social_account_id)
        heartbeat = timedelta(seconds=input.heartbeat_timeout_seconds)
        self._counts = input.counts
        cursor = input.cursor
        self._show_progress(input.max_posts)  # a continued run starts from the counts it was handed
        try:
            if not input.started:
                await workflow.execute_activity_method(
                    SocialImportActivities.begin_import,
                    ImportStarted(job_id=input.job_id, run_id=workflow.info().run_id),
                    start_to_close_timeout=BOOKKEEPING_TIMEOUT,
                    retry_policy=BOOKKEEPING_RETRY,
                )
            this_run = 0
            while self._counts.discovered < input.max_posts:
                remaining = input.max_posts - self._counts.discovered
                page = await workflow.execute_activity_method(
                    SocialImportActivities.fetch_page,
                    FetchPageInput(job=job, cursor=cursor, since=input.since, limit=min(input.page_size, remaining)),
                    start_to_close_timeout=STEP_TIMEOUT,
                    heartbeat_timeout=heartbeat,
                    retry_policy=PAGE_RETRY,
                )
                posts = page.posts[:remaining]
                page_counts, failures = await self._import(job, posts, input.include_media, heartbeat)
                self._counts = self._counts.plus(page_counts)
                cursor = page.next_cursor
                await workflow.execute_activity_method(
                    SocialImportActivities.record_progress,
                    ProgressInput(job_id=input.job_id, counts=self._counts, cursor=cursor, failures=failures),
                    start_to_close_timeout=BOOKKEEPING_TIMEOUT,
                    retry_policy=BOOKKEEPING_RETRY,
                )
                self._show_progress(input.max_posts)
                this_run += len(posts)
                if cursor is None or not posts or self._counts.discovered >= input.max_posts:
                    break
                if this_run >= input.posts_per_run or workflow.info().is_continue_as_new_suggested():
                    workflow.continue_as_new(
                        input.model_copy(update={"cursor": cursor, "counts": self._counts, "started": True})
                    )
        except asyncio.CancelledError:
            return await self._finish(FinishImportInput(job_id=input.job_id, counts=self._counts, was_cancelled=True))
        except ActivityError as error:
            if _cancelled(error):
                return await self._finish(
                    FinishImportInput(job_id=input.job_id, counts=self._counts, was_cancelled=True)
                )
            # A page the platform refused for good (auth revoked, account gone): the job fails with the reason.
            message = failure_of(error)[1]
            return await self._finish(FinishImportInput(job_id=input.job_id, counts=self._counts, error=message))
        return await self._finish(FinishImportInput(job_id=input.job_id, counts=self._counts))

    async def _import(
        self, job: JobRef, posts: list[HistoryPost], include_media: bool, heartbeat: timedelta
    ) -> tuple[ImportCounts, list[PostOutcome]]:
        to_download = [p for p in posts if include_media and p.media is not None]
        to_record = [p for p in posts if not (include_media and p.media is not None)]
        counts = ImportCounts(discovered=len(posts))
        if to_record:
            recorded = await workflow.execute_activity_method(
                SocialImportActivities.record_posts,
                RecordPostsInput(job=job, posts=to_record),
                start_to_close_timeout=STEP_TIMEOUT,
                heartbeat_timeout=heartbeat,
                retry_policy=BOOKKEEPING_RETRY,
            )
            counts = counts.plus(ImportCounts(imported=recorded.imported, skipped=recorded.skipped))
        window = asyncio.Semaphore(MEDIA_WINDOW)

        async def one(post: HistoryPost) -> PostOutcome:
            async with window:
                try:
                    return await workflow.execute_activity_method(
                        SocialImportActivities.import_post,
                        ImportPostInput(job=job, post=post),
                        start_to_close_timeout=STEP_TIMEOUT,
                        heartbeat_timeout=heartbeat,
                        retry_policy=MEDIA_RETRY,
                    )
                except ActivityError as error:
                    if _cancelled(error):
                        raise
                    return PostOutcome(platform_post_id=post.platform_post_id, outcome="failed", reason=_reason(error))

        outcomes = await asyncio.gather(*(one(post) for post in to_download))
        failures = [o for o in outcomes if o.outcome == "failed"]
        counts = counts.plus(
            ImportCounts(
                imported=sum(o.outcome == "imported" for o in outcomes),
                skipped=sum(o.outcome == "skipped" for o in outcomes),
                failed=len(failures),
            )
        )
        return counts, failures

    async def _finish(self, finish: FinishImportInput) -> ImportDone:
        return await workflow.execute_activity_method(
            SocialImportActivities.finish_import,
            finish,
            start_to_close_timeout=BOOKKEEPING_TIMEOUT,
            retry_policy=BOOKKEEPING_RETRY,
        )
