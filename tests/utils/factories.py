"""Test data: accounts with keys, and resources created through the public API."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.scopes import ALL_SCOPES, Scope
from store.db import transaction
from store.repositories.accounts import AccountRepository, ApiKeyRepository


@dataclass(frozen=True)
class Tenant:
    account_id: str
    key_id: str
    secret: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.secret}"}


async def make_tenant(
    sessions: async_sessionmaker[AsyncSession], scopes: Sequence[Scope] = ALL_SCOPES, name: str | None = None
) -> Tenant:
    async with transaction(sessions) as session:
        account = await AccountRepository(session).get_or_create(name or f"acct-{uuid.uuid4().hex[:10]}")
        key, secret = await ApiKeyRepository(session).create(account.id, scopes, "test")
    return Tenant(account_id=account.id, key_id=key.id, secret=secret)


async def add_key(sessions: async_sessionmaker[AsyncSession], account_id: str, scopes: Sequence[Scope]) -> Tenant:
    async with transaction(sessions) as session:
        key, secret = await ApiKeyRepository(session).create(account_id, scopes, "test")
    return Tenant(account_id=account_id, key_id=key.id, secret=secret)


async def create_influencer(http: httpx.AsyncClient, tenant: Tenant, **fields: Any) -> dict[str, Any]:
    body = {
        "name": "Mia Laurent",
        "personality": "warm, curious, witty",
        "basePrompt": "woman, 25, auburn hair",
        **fields,
    }
    response = await http.post("/api/v1/influencers", json=body, headers=tenant.headers)
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data


async def create_profile(http: httpx.AsyncClient, tenant: Tenant, influencer_id: str, **fields: Any) -> dict[str, Any]:
    body = {
        "name": "Mia main",
        "type": "ai_influencer",
        "influencerId": influencer_id,
        "timezone": "Europe/Paris",
        **fields,
    }
    response = await http.post("/api/v1/profiles", json=body, headers=tenant.headers)
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data


async def connect_sandbox(http: httpx.AsyncClient, tenant: Tenant, profile_id: str | None) -> dict[str, Any]:
    body = {"platform": "sandbox", "handle": f"mia_{uuid.uuid4().hex[:6]}", "profileId": profile_id}
    response = await http.post("/api/v1/accounts", json=body, headers=tenant.headers)
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data


async def create_video_comparison(sessions: async_sessionmaker[AsyncSession], account_id: str, content_id: str) -> str:
    """A queued comparison with two pending variants, written straight to the database (no workflow runs)."""
    from contracts.video import VideoParams, video_comparison_workflow_id
    from core.ids import new_id
    from store.models import VideoComparison, VideoVariant
    from store.repositories.video import VideoComparisonRepository

    comparison_id = new_id("vcmp")
    params = VideoParams(duration_seconds=3).model_dump(mode="json")
    async with transaction(sessions) as session:
        await VideoComparisonRepository(session).add(
            VideoComparison(
                id=comparison_id,
                account_id=account_id,
                content_id=content_id,
                params={"vary": ["motion"], "base": params},
                workflow_id=video_comparison_workflow_id(comparison_id),
                variants=[
                    VideoVariant(id=new_id("vvar"), position=i, label=label, params=params)
                    for i, label in enumerate(("A", "B"))
                ],
            )
        )
    return comparison_id
