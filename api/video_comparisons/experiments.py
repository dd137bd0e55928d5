"""Starting an A/B experiment of a comparison's finished variants: check the comparison, the item and the
accounts, write the experiment record (which variant goes to which account, in which wave), then start
``VideoExperimentWorkflow`` (``experiment-<comparisonId>``, so a second start is refused by Temporal)."""

from __future__ import annotations

from api.starter import StartFailure, WorkflowLaunch, WorkflowStarter
from contracts.experiments import (
    VIDEO_EXPERIMENT_WORKFLOW,
    ExperimentRecord,
    VariantTrial,
    VideoExperimentInput,
    experiment_workflow_id,
)
from contracts.search import search_attributes
from core.errors import Conflict, NotFound, ValidationFailed
from domain.accounts import SocialAccountStatus
from domain.content import ContentAction, ContentStatus, check_transition
from domain.experiments import ExperimentStatus, assign
from domain.video import VariantStatus
from store.models import VideoComparison
from store.repositories.content import ContentRepository
from store.repositories.profiles import SocialAccountRepository
from store.repositories.video import VideoComparisonRepository
from store.types import utcnow


async def start_experiment(
    starter: WorkflowStarter, account_id: str, comparison_id: str, account_ids: list[str], window_seconds: int
) -> VideoComparison:
    session = starter.session
    comparison = await VideoComparisonRepository(session).get_owned(account_id, comparison_id)
    if comparison.experiment is not None:
        raise Conflict(f"video comparison {comparison_id} already has an experiment", code="already_running")
    finished = [v for v in comparison.variants if v.status == VariantStatus.COMPLETED and v.video]
    if len(finished) < 2:
        raise Conflict(
            f"an experiment needs two completed variants; {comparison_id} has {len(finished)}",
            code="invalid_transition",
        )
    item = await ContentRepository(session).get_for_update(comparison.content_id)
    if item is None or item.account_id != account_id:
        raise NotFound(f"content {comparison.content_id} not found")
    if item.status in (ContentStatus.SCHEDULED, ContentStatus.PUBLISHING):
        raise Conflict(f"content {item.id} is being published (status {item.status})", code="already_running")
    check_transition(ContentAction.PUBLISH, item.status)
    accounts = SocialAccountRepository(session)
    for index, social_account_id in enumerate(account_ids):
        account = await accounts.get(account_id, social_account_id)
        if account is None or account.status != SocialAccountStatus.ACTIVE:
            problem = "not found" if account is None else f"is {account.status}"
            raise ValidationFailed(
                f"accountIds[{index}]: connected account {social_account_id} {problem}",
                details=[{"field": f"accountIds[{index}]", "message": problem}],
            )
    plan = assign([v.id for v in finished], account_ids)
    labels = {v.id: v.label for v in finished}
    record = ExperimentRecord(
        status=ExperimentStatus.RUNNING,
        window_seconds=window_seconds,
        trials=[
            VariantTrial(
                variant_id=a.variant_id, label=labels[a.variant_id], social_account_id=a.social_account_id, wave=a.wave
            )
            for a in plan
        ],
        started_at=utcnow(),
    )
    comparison.experiment = record.model_dump(mode="json")
    await session.flush()

    async def failed(failure: StartFailure) -> None:
        comparison.experiment = record.model_copy(
            update={"status": ExperimentStatus.FAILED, "error": failure.message}
        ).model_dump(mode="json")

    await starter.start(
        WorkflowLaunch(
            workflow=VIDEO_EXPERIMENT_WORKFLOW,
            input=VideoExperimentInput(
                account_id=account_id,
                comparison_id=comparison.id,
                content_id=item.id,
                waves=max(a.wave for a in plan) + 1,
                window_seconds=window_seconds,
                heartbeat_seconds=starter.settings.publish_heartbeat_seconds,
            ),
            workflow_id=experiment_workflow_id(comparison.id),
            search_attributes=search_attributes(account_id, profile_id=item.profile_id, content_id=item.id),
            on_failure=failed,
            busy_message=f"video comparison {comparison_id} already has an experiment running",
            summary=f"A/B experiment of {len(plan)} variants of {item.id} over {window_seconds // 3600} h",
            resource_path=f"/video-comparisons/{comparison.id}",
        )
    )
    return comparison
