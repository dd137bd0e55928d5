"""Sync one connected account's analytics, as its Temporal Schedule (or ``POST /accounts/{id}/analytics/sync``)
starts it: look at the account, read its recent posts' metrics a page at a time, then record the run with the
account's followers. The run's instant is ``workflow.now()``, the key of every row it writes, so retried steps
write nothing twice and a time-skipping server's runs stand for their own times. Rate limits are waited out
by the page step's retries (the platform's reset time is the next retry delay); an account that needs reauth
ends the run recorded as skipped."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from activities.analytics import AnalyticsActivities
    from contracts.analytics import (
        ANALYTICS_SYNC_WORKFLOW,
        AnalyticsSyncInput,
        AnalyticsSyncResult,
        BeginSyncInput,
        FinishSyncInput,
        SyncPageInput,
    )
    from domain.analytics import SyncOutcome
    from workflows.options import BOOKKEEPING_RETRY, BOOKKEEPING_TIMEOUT, NON_RETRYABLE

# A page may meet a rate limit many times over: keep waiting (each wait the platform's own reset time).
PAGE_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(minutes=5),
    maximum_attempts=20,
    non_retryable_error_types=NON_RETRYABLE,
)
PAGE_TIMEOUT = timedelta(minutes=10)
PAGE_HEARTBEAT = timedelta(seconds=30)
# Recording the run: the step itself gives up on followers after a few tries and records the run without them.
FINISH_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    maximum_interval=timedelta(minutes=1),
    maximum_attempts=10,
    non_retryable_error_types=NON_RETRYABLE,
)


@workflow.defn(name=ANALYTICS_SYNC_WORKFLOW)
class AnalyticsSyncWorkflow:
    @workflow.run
    async def run(self, input: AnalyticsSyncInput) -> AnalyticsSyncResult:
        as_of = workflow.now()
        plan = await workflow.execute_activity_method(
            AnalyticsActivities.begin_analytics_sync,
            BeginSyncInput(owner_account_id=input.owner_account_id, social_account_id=input.social_account_id),
            start_to_close_timeout=BOOKKEEPING_TIMEOUT,
            retry_policy=BOOKKEEPING_RETRY,
        )
        outcome = plan.skip or SyncOutcome.SYNCED
        synced = gone = failed = 0
        after: str | None = None
        while outcome == SyncOutcome.SYNCED:
            page = await workflow.execute_activity_method(
                AnalyticsActivities.sync_metrics_page,
                SyncPageInput(
                    owner_account_id=input.owner_account_id,
                    social_account_id=input.social_account_id,
                    as_of=as_of,
                    since=as_of - timedelta(days=input.lookback_days),
                    after=after,
                    limit=input.page_size,
                ),
                start_to_close_timeout=PAGE_TIMEOUT,
                heartbeat_timeout=PAGE_HEARTBEAT,
                retry_policy=PAGE_RETRY,
            )
            if page.needs_reauth:
                outcome = SyncOutcome.SKIPPED_NEEDS_REAUTH
            synced, gone, failed = synced + page.synced, gone + page.gone, failed + page.failed
            workflow.set_current_details(f"{synced} posts synced, {gone} gone, {failed} failed")
            if page.next_after is None:
                break
            after = page.next_after
        result = await workflow.execute_activity_method(
            AnalyticsActivities.finish_analytics_sync,
            FinishSyncInput(
                owner_account_id=input.owner_account_id,
                social_account_id=input.social_account_id,
                as_of=as_of,
                outcome=outcome,
                posts_synced=synced,
                posts_gone=gone,
            ),
            start_to_close_timeout=BOOKKEEPING_TIMEOUT,
            retry_policy=FINISH_RETRY,
        )
        return result.model_copy(update={"posts_failed": failed})
