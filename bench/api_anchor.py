"""The plain anchors of ``bench_api`` and ``bench_starts``: a plain FastAPI + SQLAlchemy app doing the same
work as our endpoints with none of our edge (no rate limit, idempotency, body caps, request ids or response
models). For ``bench_api``, our list and get of influencers: the key looked up by hash, the page or the row,
its references. For ``bench_starts``, our ``POST /content/generate``: the key, the profile with its
influencer's name, the batch and its item inserted and committed, then the same ``start_workflow`` request.
Run it with ``uvicorn --factory bench.api_anchor:anchor_app`` and ``AUTOPERSONAS_DATABASE_URL`` set (and
``AUTOPERSONAS_TEMPORAL_ADDRESS`` and ``AUTOPERSONAS_TASK_QUEUE`` for the start)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, HTTPException, Request
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter

from api.batches.service import BatchRequest, batch_launch
from contracts.generation import GenerationOptions
from core.ids import new_id
from core.secrets import hash_secret
from core.settings import Settings
from domain.batches import BatchKind, BatchStatus
from store.db import create_engine, create_session_factory
from store.models import ApiKey, Batch, BatchItem, Influencer, Profile


async def session(request: Request) -> AsyncIterator[AsyncSession]:
    async with request.app.state.sessions() as s:
        yield s


SessionDep = Annotated[AsyncSession, Depends(session)]


async def account(db: SessionDep, authorization: Annotated[str, Header()] = "") -> str:
    key = await db.scalar(select(ApiKey).where(ApiKey.secret_hash == hash_secret(authorization[7:])))
    if key is None or key.revoked_at is not None:
        raise HTTPException(401)
    return key.account_id


AccountDep = Annotated[str, Depends(account)]


def _live(account_id: str) -> Any:
    return (
        select(Influencer)
        .where(Influencer.account_id == account_id, Influencer.deleted_at.is_(None))
        .options(selectinload(Influencer.references))
    )


def _influencer(row: Influencer) -> dict[str, Any]:
    return {
        "id": row.id, "name": row.name, "bio": row.bio, "personality": row.personality,
        "basePrompt": row.base_prompt, "appearance": row.appearance, "aestheticGrade": row.aesthetic_grade,
        "referenceImages": [
            {"id": r.id, "view": r.view, "url": f"http://127.0.0.1:8000/media/{r.media_key}",
             "contentType": r.content_type, "source": r.source, "sourceUrl": r.source_url,
             "createdAt": r.created_at.isoformat()}
            for r in row.references
        ],
        "ingredients": row.ingredients, "createdAt": row.created_at.isoformat(),
        "updatedAt": row.updated_at.isoformat(),
    }


async def list_influencers(account_id: AccountDep, db: SessionDep, limit: int = 20) -> dict[str, Any]:
    query = _live(account_id).order_by(Influencer.created_at.desc(), Influencer.id.desc()).limit(limit + 1)
    rows = list((await db.scalars(query)).all())
    return {"data": [_influencer(r) for r in rows[:limit]], "nextCursor": None}


async def get_influencer(influencer_id: str, account_id: AccountDep, db: SessionDep) -> dict[str, Any]:
    row = await db.scalar(_live(account_id).where(Influencer.id == influencer_id))
    if row is None:
        raise HTTPException(404)
    return _influencer(row)


class GenerateBody(BaseModel):
    profileId: str
    count: int


async def generate(body: GenerateBody, request: Request, account_id: AccountDep, db: SessionDep) -> dict[str, Any]:
    row = (
        await db.execute(
            select(Profile, Influencer.name)
            .outerjoin(Influencer, Influencer.id == Profile.influencer_id)
            .where(Profile.account_id == account_id, Profile.id == body.profileId)
        )
    ).first()
    if row is None:
        raise HTTPException(422)
    profile, name = row
    influencer_id = profile.influencer_id
    if influencer_id is None or name is None:
        raise HTTPException(422)
    batch_id = new_id("bat")
    settings: Settings = request.app.state.settings
    start = BatchRequest(
        account_id=account_id, kind=BatchKind.CONTENT, count=body.count, influencer_id=influencer_id,
        influencer_name=name, profile_id=profile.id, options=GenerationOptions(),
    )
    launch = batch_launch(settings, batch_id, start)
    db.add(Batch(id=batch_id, account_id=account_id, kind=BatchKind.CONTENT, status=BatchStatus.QUEUED,
                 total=body.count, influencer_id=influencer_id, profile_id=profile.id, params={},
                 workflow_id=launch.workflow_id))
    db.add_all([BatchItem(batch_id=batch_id, position=i) for i in range(body.count)])
    await db.commit()
    client = await request.app.state.temporal()
    handle = await client.start_workflow(launch.workflow, launch.input, **launch.start_options(settings.task_queue))
    return {"id": batch_id, "status": "queued", "workflowId": handle.id, "runId": handle.result_run_id}


def anchor_app() -> FastAPI:
    app = FastAPI()
    app.state.settings = settings = Settings()
    app.state.sessions = create_session_factory(create_engine(os.environ["AUTOPERSONAS_DATABASE_URL"]))
    clients: list[Client] = []
    connecting = asyncio.Lock()

    async def temporal() -> Client:  # connected on first use: the list and get runs need no Temporal
        async with connecting:
            if not clients:
                clients.append(
                    await Client.connect(
                        settings.temporal_address,
                        namespace=settings.temporal_namespace,
                        data_converter=pydantic_data_converter,
                    )
                )
        return clients[0]

    app.state.temporal = temporal
    app.get("/api/v1/influencers")(list_influencers)
    app.get("/api/v1/influencers/{influencer_id}")(get_influencer)
    app.post("/api/v1/content/generate", status_code=202)(generate)
    return app
