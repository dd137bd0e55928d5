"""Influencer changes: create, update, merge ingredients, set references, delete through a workflow."""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.common import WorkflowIDConflictPolicy

from api.schemas.influencers import InfluencerCreate, InfluencerUpdate, IngredientsPatch
from api.temporal import TemporalGateway
from contracts.cleanup import (
    INFLUENCER_CLEANUP_WORKFLOW,
    InfluencerCleanupInput,
    influencer_cleanup_workflow_id,
    influencer_media_namespace,
)
from contracts.search import search_attributes
from core.errors import NotFound
from core.ids import new_id
from core.settings import Settings
from providers.storage.base import MediaStorage
from store.models import Influencer, ReferenceImage
from store.repositories.influencers import InfluencerRepository
from store.repositories.jobs import PreviewRepository
from store.types import utcnow


async def get_influencer(session: AsyncSession, account_id: str, influencer_id: str) -> Influencer:
    influencer = await InfluencerRepository(session).get(account_id, influencer_id)
    if influencer is None:
        raise NotFound(f"influencer {influencer_id} not found")
    return influencer


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


async def patch_ingredients(
    session: AsyncSession, account_id: str, influencer_id: str, body: IngredientsPatch
) -> Influencer:
    influencer = await get_influencer(session, account_id, influencer_id)
    merged = dict(influencer.ingredients or {})
    merged.update(body.model_dump(mode="json", exclude_none=True))
    influencer.ingredients = merged
    return await InfluencerRepository(session).save(influencer)


async def set_references(
    session: AsyncSession,
    storage: MediaStorage,
    influencer: Influencer,
    images: Sequence[tuple[str, bytes, str, str, str | None]],
) -> Influencer:
    """Store each (view, bytes, content type, source, source url) and make them the view's reference."""
    namespace = influencer_media_namespace(influencer.account_id, influencer.id) + "/references"
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
    await InfluencerRepository(session).replace_references(influencer, references)
    return influencer


async def delete_influencer(
    session: AsyncSession, temporal: TemporalGateway, settings: Settings, account_id: str, influencer_id: str
) -> None:
    """Start the cleanup workflow first, then hide the row. If we crash in between, the workflow hides
    it itself; if Temporal is down, nothing changed and the caller gets a 503 to retry."""
    influencer = await get_influencer(session, account_id, influencer_id)
    client = await temporal.client()
    await client.start_workflow(
        INFLUENCER_CLEANUP_WORKFLOW,
        InfluencerCleanupInput(account_id=account_id, influencer_id=influencer.id),
        id=influencer_cleanup_workflow_id(influencer.id),
        task_queue=settings.task_queue,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        search_attributes=search_attributes(account_id, influencer_id=influencer.id),
    )
    await InfluencerRepository(session).soft_delete(influencer)


async def adopt_preview(session: AsyncSession, account_id: str, preview_id: str) -> Influencer:
    """Make a preview the influencer's look: its seed and grade, and its image as the front reference."""
    preview = await PreviewRepository(session).get(account_id, preview_id)
    if preview is None:
        raise NotFound(f"preview {preview_id} not found")
    influencer = await get_influencer(session, account_id, preview.influencer_id)
    influencer.seed = preview.seed
    influencer.aesthetic_grade = preview.aesthetic_grade
    preview.adopted_at = utcnow()
    await InfluencerRepository(session).replace_references(
        influencer,
        [
            ReferenceImage(
                id=new_id("ref"),
                view="front",
                media_key=preview.media_key,
                content_type="image/png",
                source="generated",
            )
        ],
    )
    return await InfluencerRepository(session).save(influencer)
