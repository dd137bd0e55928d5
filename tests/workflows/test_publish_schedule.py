"""The publish workflow on the time-skipping test server: a post scheduled days ahead waits on a durable
timer and fires then, not before; calling it off before it fires cancels its targets."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from temporalio import activity
from temporalio.client import WorkflowFailureError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from contracts.publishing import PublishInput, PublishResult, SettleInput, TargetFailure, TargetRef
from providers.social.base import PublishedPost
from tests.utils.time_skipping import time_skipping_env
from workflows.publish_content import PublishContentWorkflow


class PlatformStandIn:
    """Stands in for the publishing activities (same names), recording when each ran in workflow time."""

    def __init__(self) -> None:
        self.created_at: list[datetime] = []
        self.cancelled: list[str] = []

    def activities(self) -> list[Callable[..., Any]]:
        return [self.create_post, self.await_published, self.fail_target, self.cancel_targets, self.settle_content]

    @activity.defn(name="create_post")
    async def create_post(self, target: TargetRef) -> PublishedPost:
        self.created_at.append(activity.info().current_attempt_scheduled_time)
        return PublishedPost(tracking_id="p1", status="published", platform_post_id="p1", url="https://x/p1")

    @activity.defn(name="await_published")
    async def await_published(self, target: TargetRef) -> PublishedPost:
        return PublishedPost(tracking_id="p1", status="published", platform_post_id="p1", url="https://x/p1")

    @activity.defn(name="fail_target")
    async def fail_target(self, failure: TargetFailure) -> None:
        raise AssertionError(f"nothing should fail here: {failure}")

    @activity.defn(name="cancel_targets")
    async def cancel_targets(self, input: SettleInput) -> None:
        self.cancelled.append(input.content_id)

    @activity.defn(name="settle_content")
    async def settle_content(self, input: SettleInput) -> PublishResult:
        published = len(self.created_at)
        status = "published" if published else "approved"
        return PublishResult(content_id=input.content_id, status=status, published=published, failed=0, cancelled=0)


@pytest.fixture
async def env() -> AsyncIterator[WorkflowEnvironment]:
    async with time_skipping_env() as environment:
        yield environment


def _input(scheduled_at: datetime) -> PublishInput:
    return PublishInput(
        account_id="acct_1", content_id="cnt_1", round=1, publication_ids=["pub_1"], scheduled_at=scheduled_at
    )


async def test_three_days_ahead_fires_then_and_not_before(env: WorkflowEnvironment) -> None:
    platform = PlatformStandIn()
    queue = f"publish-{uuid.uuid4().hex[:8]}"
    async with Worker(
        env.client, task_queue=queue, workflows=[PublishContentWorkflow], activities=platform.activities()
    ):
        scheduled_at = await env.get_current_time() + timedelta(days=3)
        with env.auto_time_skipping_disabled():
            handle = await env.client.start_workflow(
                PublishContentWorkflow.run, _input(scheduled_at), id=f"publish-{queue}", task_queue=queue
            )
            await asyncio.sleep(1.0)
            assert platform.created_at == []  # still waiting on its timer
            await env.sleep(timedelta(days=2))
            assert platform.created_at == []
        result = await handle.result()
    assert result.status == "published"
    assert len(platform.created_at) == 1
    assert platform.created_at[0] >= scheduled_at


async def test_calling_it_off_before_it_fires_cancels_the_targets(env: WorkflowEnvironment) -> None:
    platform = PlatformStandIn()
    queue = f"publish-{uuid.uuid4().hex[:8]}"
    async with Worker(
        env.client, task_queue=queue, workflows=[PublishContentWorkflow], activities=platform.activities()
    ):
        scheduled_at = await env.get_current_time() + timedelta(days=5)
        with env.auto_time_skipping_disabled():
            handle = await env.client.start_workflow(
                PublishContentWorkflow.run, _input(scheduled_at), id=f"publish-{queue}", task_queue=queue
            )
            await env.sleep(timedelta(days=1))
            await handle.cancel()
            with pytest.raises(WorkflowFailureError):
                await handle.result()
    assert platform.created_at == []
    assert platform.cancelled == ["cnt_1"]
