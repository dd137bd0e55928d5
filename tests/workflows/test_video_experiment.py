"""The A/B experiment on the time-skipping test server, with the real API service, activities, publishing
workflow, database and sandbox: two finished variants go to two sandbox accounts, a 48-hour durable timer is
waited out in moments, the posts' metrics are read, and the variant with the higher engagement rate becomes
the item's video with every figure recorded on the comparison. A second experiment is refused."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowHandle
from temporalio.common import TypedSearchAttributes
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.experiments import ExperimentActivities
from activities.publishing import PublishingActivities
from api.starter import WorkflowLaunch, WorkflowStarter
from api.temporal import TemporalGateway
from api.video_comparisons.experiments import start_experiment
from contracts.experiments import ExperimentRecord, ExperimentResult, experiment_workflow_id
from core.errors import Conflict
from domain.analytics import engagement_rate
from domain.experiments import ExperimentStatus
from store.models import Publication
from store.repositories.content import ContentRepository
from store.repositories.video import VideoComparisonRepository
from tests.utils.experiments import finished_comparison
from tests.utils.factories import Tenant
from tests.utils.publishing import approved_content, sandbox_account
from tests.utils.stack import Stack
from tests.utils.time_skipping import time_skipping_env
from workflows.publish_content import PublishContentWorkflow
from workflows.video_experiment import VideoExperimentWorkflow

WINDOW = timedelta(hours=48)


@pytest.fixture
async def env() -> AsyncIterator[WorkflowEnvironment]:
    async with time_skipping_env() as environment:
        yield environment


class TimeSkippingStarter(WorkflowStarter):
    """The API's starter, minus the custom search attributes the time-skipping test server cannot register."""

    async def start(self, launch: WorkflowLaunch) -> WorkflowHandle[Any, Any]:
        return await super().start(dataclasses.replace(launch, search_attributes=TypedSearchAttributes.empty))


async def _timer_started(handle: WorkflowHandle[Any, Any]) -> None:
    for _ in range(600):
        history = await handle.fetch_history()
        if any(e.event_type == EventType.EVENT_TYPE_TIMER_STARTED for e in history.events):
            return
        await asyncio.sleep(0.1)
    raise AssertionError("the experiment never reached its window's timer")


async def test_the_variant_with_the_higher_engagement_rate_becomes_the_items_video(
    stack: Stack, http: httpx.AsyncClient, tenant: Tenant, env: WorkflowEnvironment
) -> None:
    content, profile = await approved_content(http, tenant)
    accounts = [await sandbox_account(http, tenant, profile["id"]) for _ in range(2)]
    comparison_id = await finished_comparison(stack, tenant, content["id"])
    queue = f"experiment-{uuid.uuid4().hex[:8]}"
    settings = stack.settings.model_copy(update={"task_queue": queue})
    deps = stack.deps
    experiments = ExperimentActivities(deps.session_factory, deps.platforms, deps.cipher)
    publishing = PublishingActivities(deps.session_factory, deps.platforms, deps.storage, deps.cipher)
    async with Worker(
        env.client,
        task_queue=queue,
        workflows=[VideoExperimentWorkflow, PublishContentWorkflow],
        activities=[
            experiments.open_experiment_wave,
            experiments.measure_experiment_wave,
            experiments.decide_experiment,
            publishing.create_post,
            publishing.await_published,
            publishing.fail_target,
            publishing.settle_content,
            publishing.cancel_targets,
        ],
    ):
        # The API's own service, starting on the test server.
        async with stack.sessions() as session:
            starter = TimeSkippingStarter(session, TemporalGateway(settings, env.client), settings)
            ids = [a["id"] for a in accounts]
            await start_experiment(starter, tenant.account_id, comparison_id, ids, int(WINDOW.total_seconds()))
            await session.commit()
            with pytest.raises(Conflict):
                await start_experiment(starter, tenant.account_id, comparison_id, ids, int(WINDOW.total_seconds()))
        handle = env.client.get_workflow_handle(experiment_workflow_id(comparison_id), result_type=ExperimentResult)
        # Skipped only once the timer is set: skipping earlier would move the clock before the timer starts.
        await _timer_started(handle)
        await env.sleep(WINDOW + timedelta(minutes=1))
        result = await handle.result()
        history = await handle.fetch_history()

    timers = [
        e.timer_started_event_attributes.start_to_fire_timeout.ToTimedelta()
        for e in history.events
        if e.event_type == EventType.EVENT_TYPE_TIMER_STARTED
    ]
    async with stack.sessions() as session:
        comparison = await VideoComparisonRepository(session).get_any(comparison_id)
        item = await ContentRepository(session).get_any(content["id"])
        assert comparison is not None and item is not None and comparison.experiment is not None
        record = ExperimentRecord.model_validate(comparison.experiment)
        rows = await session.scalars(select(Publication).where(Publication.content_id == content["id"]))
        publications = {p.id: p for p in rows.all()}

    assert timers == [WINDOW]  # both variants in one wave (two accounts), then one durable 48-hour timer
    assert result.status == ExperimentStatus.DECIDED and record.status == ExperimentStatus.DECIDED
    assert {t.social_account_id for t in record.trials} == set(ids)
    for trial in record.trials:
        assert trial.platform_post_id and trial.views and trial.engagement_rate is not None, trial
        assert trial.engagement_rate == engagement_rate({"views": trial.views, "likes": trial.engagements})
        publication = publications[str(trial.publication_id)]
        assert publication.video_variant_id == trial.variant_id and publication.status == "published"
    best = max(record.trials, key=lambda t: (t.engagement_rate or 0.0, [-ord(c) for c in t.label]))
    assert record.winner_variant_id == best.variant_id == result.winner_variant_id
    winner = next(v for v in comparison.variants if v.id == best.variant_id)
    assert item.video == winner.video and comparison.selected_variant_id == winner.id
    assert item.status == "published"
