"""Publish one content item to its targets: wait on a durable timer until ``scheduledAt``, then per target
create the post (retried with backoff, reconciled before any retry so it never posts twice), wait until
the platform has processed it, and record the outcome. The content item's status follows its targets."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any, TypeVar

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from activities.publishing import PublishingActivities
    from contracts.publishing import (
        PUBLISH_WORKFLOW,
        PublishInput,
        PublishResult,
        SettleInput,
        TargetFailure,
        TargetRef,
    )
    from workflows.options import BOOKKEEPING_RETRY, BOOKKEEPING_TIMEOUT, NON_RETRYABLE, failure_of

ArgT = TypeVar("ArgT")
ResultT = TypeVar("ResultT")

# Transient platform errors back off up to 10 minutes apart (or the platform's rate-limit reset, which the
# activity passes as next_retry_delay); auth, validation and policy errors stop at once.
PUBLISH_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=2),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(minutes=10),
    maximum_attempts=12,
    non_retryable_error_types=[*NON_RETRYABLE, "PlatformProcessingFailed"],
)


@workflow.defn(name=PUBLISH_WORKFLOW)
class PublishContentWorkflow:
    @workflow.run
    async def run(self, input: PublishInput) -> PublishResult:
        settle = SettleInput(account_id=input.account_id, content_id=input.content_id, round=input.round)
        if input.scheduled_at is not None and input.scheduled_at > workflow.now():
            try:
                await workflow.sleep(input.scheduled_at - workflow.now())
            except asyncio.CancelledError:
                # Unpublished before it fired: the targets are cancelled and the item is approved again.
                await self._bookkeeping(PublishingActivities.cancel_targets, settle)
                await self._bookkeeping(PublishingActivities.settle_content, settle)
                raise
        await asyncio.gather(*(self._publish(input, publication_id) for publication_id in input.publication_ids))
        return await self._bookkeeping(PublishingActivities.settle_content, settle)

    async def _publish(self, input: PublishInput, publication_id: str) -> None:
        target = TargetRef(account_id=input.account_id, content_id=input.content_id, publication_id=publication_id)
        # A worker that dies mid-step is noticed after this long, and the step retried elsewhere.
        heartbeat = timedelta(seconds=input.heartbeat_seconds)
        try:
            await workflow.execute_activity_method(
                PublishingActivities.create_post,
                target,
                start_to_close_timeout=timedelta(minutes=5),
                heartbeat_timeout=heartbeat,
                retry_policy=PUBLISH_RETRY,
            )
            await workflow.execute_activity_method(
                PublishingActivities.await_published,
                target,
                start_to_close_timeout=timedelta(hours=2),
                heartbeat_timeout=heartbeat,
                retry_policy=PUBLISH_RETRY,
            )
        except ActivityError as error:
            code, message = failure_of(error)
            await self._bookkeeping(
                PublishingActivities.fail_target,
                TargetFailure(publication_id=publication_id, code=code, message=message),
            )

    async def _bookkeeping(self, method: Callable[[Any, ArgT], Awaitable[ResultT]], arg: ArgT) -> ResultT:
        return await workflow.execute_activity_method(
            method, arg, start_to_close_timeout=BOOKKEEPING_TIMEOUT, retry_policy=BOOKKEEPING_RETRY
        )
