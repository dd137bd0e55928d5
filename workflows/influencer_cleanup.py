"""After ``DELETE /influencers/:id``: hide it, cancel its running work, delete its media, purge its rows.
Every step is idempotent and retried until it succeeds, so the cleanup finishes whatever fails meanwhile."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from activities.cleanup import CleanupActivities
    from contracts.cleanup import INFLUENCER_CLEANUP_WORKFLOW, InfluencerCleanupInput, InfluencerCleanupResult

# Unlimited attempts: a cleanup must finish; backoff keeps a long outage cheap.
_RETRY = RetryPolicy(initial_interval=timedelta(seconds=1), maximum_interval=timedelta(minutes=5))


@workflow.defn(name=INFLUENCER_CLEANUP_WORKFLOW)
class InfluencerCleanupWorkflow:
    @workflow.run
    async def run(self, input: InfluencerCleanupInput) -> InfluencerCleanupResult:
        await workflow.execute_activity_method(
            CleanupActivities.mark_influencer_deleted,
            input,
            start_to_close_timeout=timedelta(seconds=30),
            retry_policy=_RETRY,
        )
        cancelled = await workflow.execute_activity_method(
            CleanupActivities.cancel_influencer_workflows,
            input,
            start_to_close_timeout=timedelta(minutes=2),
            heartbeat_timeout=timedelta(seconds=30),
            retry_policy=_RETRY,
        )
        media_deleted = await workflow.execute_activity_method(
            CleanupActivities.delete_influencer_media,
            input,
            start_to_close_timeout=timedelta(minutes=5),
            retry_policy=_RETRY,
        )
        purged = await workflow.execute_activity_method(
            CleanupActivities.purge_influencer,
            input,
            start_to_close_timeout=timedelta(seconds=30),
            retry_policy=_RETRY,
        )
        return InfluencerCleanupResult(
            influencer_id=input.influencer_id,
            media_deleted=media_deleted,
            cancelled_workflow_ids=cancelled.workflow_ids,
            purged=purged,
        )
