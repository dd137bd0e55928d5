"""Starting generation: batches (content, reference packs, previews) and short jobs."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from api.schemas.content import GenerateBody
from api.services.workflows import start_workflow, wait_briefly
from api.temporal import TemporalGateway
from contracts.generation import BATCH_WORKFLOW, BatchInput, BatchKind, GenerationOptions, batch_workflow_id
from contracts.jobs import job_workflow_id
from contracts.search import search_attributes
from core.errors import NotFound, ValidationFailed
from core.ids import new_id
from core.settings import Settings
from store.models import Batch, Job
from store.repositories.batches import BatchRepository
from store.repositories.influencers import InfluencerRepository
from store.repositories.jobs import JobRepository
from store.repositories.profiles import ProfileRepository
from store.types import utcnow


async def resolve_generation_target(session: AsyncSession, account_id: str, body: GenerateBody) -> tuple[str, str]:
    """(profile id, influencer id) for a content batch, or 422/404 naming what is wrong."""
    profile = await ProfileRepository(session).get(account_id, body.profile_id)
    if profile is None:
        raise ValidationFailed(
            f"profileId {body.profile_id} does not name one of your profiles",
            details=[{"field": "profileId", "message": "not found"}],
        )
    influencer_id = body.influencer_id or profile.influencer_id
    if not influencer_id:
        raise ValidationFailed(
            "this profile has no influencer; pass influencerId",
            details=[{"field": "influencerId", "message": "required for a profile without an influencer"}],
        )
    if await InfluencerRepository(session).get(account_id, influencer_id) is None:
        raise ValidationFailed(
            f"influencerId {influencer_id} does not name one of your influencers",
            details=[{"field": "influencerId", "message": "not found"}],
        )
    if body.content_direction_id and not any(
        d.get("id") == body.content_direction_id for d in profile.content_directions or []
    ):
        raise ValidationFailed(
            f"contentDirectionId {body.content_direction_id} is not one of this profile's directions",
            details=[{"field": "contentDirectionId", "message": "not found on the profile"}],
        )
    return profile.id, influencer_id


async def start_batch(
    session: AsyncSession,
    temporal: TemporalGateway,
    settings: Settings,
    *,
    account_id: str,
    kind: BatchKind,
    count: int,
    influencer_id: str,
    profile_id: str | None,
    options: GenerationOptions,
) -> Batch:
    batch_id = new_id("bat")
    params = options.model_dump(mode="json", by_alias=False, exclude_none=True)
    batch = Batch(
        id=batch_id,
        account_id=account_id,
        kind=kind,
        status="queued",
        total=count,
        influencer_id=influencer_id,
        profile_id=profile_id,
        params=params,
        workflow_id=batch_workflow_id(batch_id),
    )
    repo = BatchRepository(session)
    await repo.add(batch)

    async def failed(message: str) -> None:
        batch.error = message
        await repo.mark(batch, "failed", finished_at=utcnow())

    handle = await start_workflow(
        session,
        temporal,
        settings,
        workflow=BATCH_WORKFLOW,
        arg=BatchInput(
            batch_id=batch_id,
            account_id=account_id,
            kind=kind,
            count=count,
            influencer_id=influencer_id,
            profile_id=profile_id,
            options=options,
            step_timeout_seconds=settings.generation_step_timeout_seconds,
        ),
        workflow_id=batch.workflow_id,
        search_attributes=search_attributes(
            account_id, influencer_id=influencer_id, profile_id=profile_id, batch_id=batch_id
        ),
        on_failure=failed,
    )
    batch.run_id = handle.result_run_id
    return batch


async def get_batch(session: AsyncSession, account_id: str, batch_id: str) -> Batch:
    batch = await BatchRepository(session).get(account_id, batch_id)
    if batch is None:
        raise NotFound(f"batch {batch_id} not found")
    return batch


async def start_job(
    session: AsyncSession,
    temporal: TemporalGateway,
    settings: Settings,
    *,
    account_id: str,
    kind: str,
    workflow: str,
    make_input: Any,
    subject_id: str | None,
    params: dict[str, Any],
    workflow_id: str | None = None,
    busy_message: str = "this work is already running",
) -> Job:
    """Create the job row, start its workflow and wait a few seconds for it; the row says how it went."""
    job_id = new_id("job")
    job = Job(
        id=job_id,
        account_id=account_id,
        kind=kind,
        status="queued",
        subject_id=subject_id,
        params=params,
        workflow_id=workflow_id or job_workflow_id(kind, job_id),
    )
    repo = JobRepository(session)
    await repo.add(job)

    async def failed(message: str) -> None:
        await repo.finish(job_id, "failed", None, message)

    handle = await start_workflow(
        session,
        temporal,
        settings,
        workflow=workflow,
        arg=make_input(job_id),
        workflow_id=job.workflow_id,
        search_attributes=search_attributes(
            account_id, content_id=subject_id if kind in ("regenerate", "fine_tune_caption") else None
        ),
        on_failure=failed,
        busy_message=busy_message,
    )
    await wait_briefly(handle, settings.sync_wait_seconds)
    await session.refresh(job)
    return job
