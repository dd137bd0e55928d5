"""The anchor of ``bench_api``: a plain FastAPI + SQLAlchemy app doing the same queries as our list and get
endpoints (the key looked up by hash, the page or the row, its references) with none of our edge: no rate
limit, no idempotency, no body caps, no request ids, no response models. Run it with
``uvicorn --factory bench.api_anchor:anchor_app`` and ``AUTOPERSONAS_DATABASE_URL`` set."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, HTTPException, Request
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from core.secrets import hash_secret
from store.db import create_engine, create_session_factory
from store.models import ApiKey, Influencer


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


def anchor_app() -> FastAPI:
    app = FastAPI()
    app.state.sessions = create_session_factory(create_engine(os.environ["AUTOPERSONAS_DATABASE_URL"]))
    app.get("/api/v1/influencers")(list_influencers)
    app.get("/api/v1/influencers/{influencer_id}")(get_influencer)
    return app
