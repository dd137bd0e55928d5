"""Influencer changes: create, update, set references, delete through a workflow; and the batches that
generate an influencer's reference pack and preview looks."""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.common import WorkflowIDConflictPolicy

from api.batches.service import BatchRequest, StartedBatch, start_batch
from api.campaigns.service import end_for_influencer
from api.influencers.schemas import InfluencerCreate, InfluencerUpdate
from api.previews.schemas import PreviewsBody
from api.starter import WorkflowLaunch, WorkflowStarter
from contracts.cleanup import (
    INFLUENCER_CLEANUP_WORKFLOW,
    InfluencerCleanupInput,
    influencer_cleanup_workflow_id,
    influencer_media_namespace,
)
from contracts.generation import GenerationOptions
from contracts.search import search_attributes
from core.ids import new_id
from domain.batches import BatchKind
from domain.vocabulary import VIEWS
from providers.storage.base import MediaStorage
from store.models import Influencer, ReferenceImage
from store.pagination import Page
from store.repositories.influencers import InfluencerRepository


async def get_influencer(session: AsyncSession, account_id: str, influencer_id: str) -> Influencer:
    return await InfluencerRepository(session).get_owned(account_id, influencer_id)


async def list_influencers(
    session: AsyncSession, account_id: str, *, limit: int, cursor: str | None
) -> Page[Influencer]:
    return await InfluencerRepository(session).list(account_id, limit=limit, cursor=cursor)


async def create_influencer(session: AsyncSession, account_id: str, body: InfluencerCreate) -> Influencer:
    influencer = Influencer(
        id=new_id("inf"),
        account_id=account_id,
        name=body.name,
        bio=body.bio,
        personality=body.personality,
        base_prompt=body.base_prompt,
        appearance=body.appearance.model_dump(mode="json", exclude_none=True),
        aesthetic_grade=body.aesthetic_grade,
        ingredients=body.ingredients.model_dump(mode="json"),
        # One seed per influencer keeps their generated look consistent from image to image.
        seed=secrets.randbelow(2**31),
    )
    return await InfluencerRepository(session).add(influencer)


async def update_influencer(
    session: AsyncSession, account_id: str, influencer_id: str, body: InfluencerUpdate
) -> Influencer:
    influencer = await get_influencer(session, account_id, influencer_id)
    changes = body.model_dump(mode="json", exclude_unset=True, exclude_none=True)
    for field, value in changes.items():
        setattr(influencer, field, value)
    return await InfluencerRepository(session).save(influencer)


async def set_references(
    session: AsyncSession,
    storage: MediaStorage,
    account_id: str,
    influencer_id: str,
    images: Sequence[tuple[str, bytes, str, str, str | None]],
) -> Influencer:
    """Store each (view, bytes, content type, source, source url) and make them the view's reference. The
    files are stored before the influencer is read, so no transaction is open while storage (S3) works;
    the influencer is read afresh, so one deleted while the images arrived answers 404."""
    namespace = influencer_media_namespace(account_id, influencer_id) + "/references"
    references = []
    for view, data, content_type, source, source_url in images:
        key = await storage.put(namespace, data, content_type)
        references.append(
            ReferenceImage(
                id=new_id("ref"),
                view=view,
                media_key=key,
                content_type=content_type,
                source=source,
                source_url=source_url,
            )
        )
    influencer = await get_influencer(session, account_id, influencer_id)
    await InfluencerRepository(session).replace_references(influencer, references)
    return influencer


async def delete_influencer(starter: WorkflowStarter, account_id: str, influencer_id: str) -> None:
    """Start the cleanup workflow first, then hide the row. If we crash in between, the workflow hides
    it itself; if Temporal is down, nothing changed and the caller gets a 503 to retry."""
    influencer = await get_influencer(starter.session, account_id, influencer_id)
    await starter.start(
        WorkflowLaunch(
            workflow=INFLUENCER_CLEANUP_WORKFLOW,
            input=InfluencerCleanupInput(account_id=account_id, influencer_id=influencer.id),
            workflow_id=influencer_cleanup_workflow_id(influencer.id),
            search_attributes=search_attributes(account_id, influencer_id=influencer.id),
            summary=f"Delete {influencer.name} ({influencer.id}) and everything it owns",
            resource_path=f"/influencers/{influencer.id}",
            id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        )
    )
    await InfluencerRepository(starter.session).soft_delete(influencer)
    await end_for_influencer(starter, account_id, influencer.id)


async def start_reference_pack(starter: WorkflowStarter, influencer: Influencer) -> StartedBatch:
    return await _start_influencer_batch(
        starter, influencer, BatchKind.REFERENCES, len(VIEWS), influencer.aesthetic_grade
    )


async def start_previews(starter: WorkflowStarter, influencer: Influencer, body: PreviewsBody) -> StartedBatch:
    grade = body.aesthetic_grade or influencer.aesthetic_grade
    return await _start_influencer_batch(starter, influencer, BatchKind.PREVIEWS, body.count, grade)


async def _start_influencer_batch(
    starter: WorkflowStarter, influencer: Influencer, kind: BatchKind, count: int, aesthetic_grade: str | None
) -> StartedBatch:
    """A batch about the influencer alone (no profile): its reference pack or previews."""
    return await start_batch(
        starter,
        BatchRequest(
            account_id=influencer.account_id,
            kind=kind,
            count=count,
            influencer_id=influencer.id,
            influencer_name=influencer.name,
            profile_id=None,
            options=GenerationOptions(aesthetic_grade=aesthetic_grade),
        ),
    )
