"""Starting, reading and cancelling generation batches (content, reference packs, previews)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from api.starter import StartFailure, WorkflowLaunch, WorkflowStarter
from contracts.generation import (
    BATCH_WORKFLOW,
    BatchInput,
    CollaborationSpec,
    GenerationOptions,
    batch_workflow_id,
    item_concurrency_for,
)
from contracts.search import search_attributes
from core.errors import Conflict
from core.ids import new_id
from core.settings import Settings
from domain.batches import FINISHED_BATCH_STATUSES, BatchKind, BatchStatus
from store.models import Batch, BatchItem
from store.pagination import Page
from store.repositories.batches import BatchRepository
from store.types import utcnow


@dataclass(frozen=True)
class StartedBatch:
    """A batch just started, with its items as inserted (the answer needs no second read)."""

    batch: Batch
    items: list[BatchItem]


@dataclass(frozen=True)
class BatchRequest:
    """What a batch is to make, for whom: the same for the row, the workflow's input and its UI summary.
    The caller has loaded the influencer and passes its name for the summary."""

    account_id: str
    kind: BatchKind
    count: int
    influencer_id: str
    influencer_name: str
    profile_id: str | None
    options: GenerationOptions
    collaboration: CollaborationSpec | None = None

    @property
    def owner(self) -> str | None:
        """The influencer the batch belongs to: none for a collaboration, which is about all its members
        (deleting one member must not purge or cancel it)."""
        return None if self.collaboration is not None else self.influencer_id


async def start_batch(starter: WorkflowStarter, request: BatchRequest, *, batch_id: str | None = None) -> StartedBatch:
    """Commit the batch row, then start its workflow. A collaboration's members travel in ``params``, from
    which the stranded-work reconciler can start it again.

    One write transaction per start, and no read inside it: on SQLite the insert holds the database's write
    lock until the commit, so every query under it (or a second write after the start) makes concurrent
    starts wait."""
    batch_id = batch_id or new_id("bat")
    params = request.options.model_dump(mode="json", by_alias=False, exclude_none=True)
    if request.collaboration is not None:
        params.update(request.collaboration.params())
    batch = Batch(
        id=batch_id,
        account_id=request.account_id,
        kind=request.kind,
        status=BatchStatus.QUEUED,
        total=request.count,
        influencer_id=request.owner,
        profile_id=request.profile_id,
        params=params,
        workflow_id=batch_workflow_id(batch_id),
    )
    repo = BatchRepository(starter.session)

    async def failed(failure: StartFailure) -> None:
        batch.error = failure.message
        await repo.mark(batch, BatchStatus.FAILED, finished_at=utcnow())

    launch = replace(batch_launch(starter.settings, batch_id, request), on_failure=failed)
    # Everything is built before the insert: from the insert to the commit nothing else runs.
    items = await repo.add_with_items(batch)
    handle = await starter.start(launch)
    # The answer names the run without writing the row again: the workflow's first activity records its run
    # id (``BatchActivities.start_batch``), and a second write transaction per start would queue behind every
    # other writer on SQLite once more.
    set_committed_value(batch, "run_id", handle.result_run_id)
    return StartedBatch(batch, items)


def batch_launch(settings: Settings, batch_id: str, request: BatchRequest) -> WorkflowLaunch:
    """The start of a batch's workflow: its input, id, search attributes and the Temporal UI's summary."""
    collaboration = request.collaboration
    return WorkflowLaunch(
        workflow=BATCH_WORKFLOW,
        input=BatchInput(
            batch_id=batch_id,
            account_id=request.account_id,
            kind=request.kind,
            count=request.count,
            influencer_id=request.influencer_id,
            profile_id=request.profile_id,
            options=request.options,
            step_timeout_seconds=settings.generation_step_timeout_seconds,
            heartbeat_timeout_seconds=settings.heartbeat_timeout_seconds,
            member_ids=list(collaboration.member_ids) if collaboration else [],
            collaboration_id=collaboration.collaboration_id if collaboration else None,
            scene=collaboration.scene if collaboration else None,
            item_concurrency=item_concurrency_for(settings.image_concurrency),
        ),
        workflow_id=batch_workflow_id(batch_id),
        search_attributes=search_attributes(
            request.account_id, influencer_id=request.owner, profile_id=request.profile_id, batch_id=batch_id
        ),
        summary=batch_summary(
            request.kind, request.count, request.influencer_name, request.influencer_id, request.profile_id
        ),
        resource_path=f"/batches/{batch_id}",
    )


def batch_summary(kind: BatchKind, count: int, name: str, influencer_id: str, profile_id: str | None) -> str:
    """The Temporal UI's line about a batch, "Batch of 20 for Mia Laurent (prof_...)": what it makes, for whom,
    and the id to search by."""
    if kind == BatchKind.CONTENT:
        return f"Batch of {count} for {name} ({profile_id or influencer_id})"
    what = "Reference pack" if kind == BatchKind.REFERENCES else "Previews"
    return f"{what} of {count} for {name} ({influencer_id})"


async def get_batch(session: AsyncSession, account_id: str, batch_id: str) -> Batch:
    return await BatchRepository(session).get_owned(account_id, batch_id)


async def items_of(session: AsyncSession, batch: Batch) -> Sequence[BatchItem]:
    return await BatchRepository(session).items(batch.id)


async def list_batches(
    session: AsyncSession,
    account_id: str,
    *,
    limit: int,
    cursor: str | None,
    kind: BatchKind | None,
    status: BatchStatus | None,
) -> tuple[Page[Batch], dict[str, dict[str, int]]]:
    """A page of batches and their item counts by status, in two queries whatever the page size."""
    repo = BatchRepository(session)
    page = await repo.list(account_id, limit=limit, cursor=cursor, kind=kind, status=status)
    return page, await repo.counts_for([b.id for b in page.items])


async def cancel_batch(starter: WorkflowStarter, account_id: str, batch_id: str) -> Batch:
    batch = await get_batch(starter.session, account_id, batch_id)
    if batch.status in FINISHED_BATCH_STATUSES:
        raise Conflict(f"batch {batch_id} has already finished ({batch.status})", code="invalid_transition")
    await starter.cancel(batch.workflow_id)
    return batch
