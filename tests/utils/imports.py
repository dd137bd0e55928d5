"""Helpers for social import tests: a finished import row without its workflow, a seeded sandbox account,
and waiting for an import to settle."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contracts.social_import import import_workflow_id
from core.ids import new_id
from domain.imports import ImportStatus
from store.db import transaction
from store.models import ImportJob, SandboxPost, SocialAccount
from store.repositories.imports import ImportJobRepository
from store.repositories.profiles import SocialAccountRepository
from tests.utils.factories import Tenant
from tests.utils.sandbox_history import seed_sandbox_history
from tests.utils.stack import Stack

FINISHED = {s.value for s in ImportStatus} - {ImportStatus.QUEUED.value, ImportStatus.RUNNING.value}


async def create_import_job(
    sessions: async_sessionmaker[AsyncSession], account_id: str, social_account_id: str
) -> str:
    """A completed import row written straight to the database (no workflow runs)."""
    job_id = new_id("imp")
    async with transaction(sessions) as session:
        await ImportJobRepository(session).add(
            ImportJob(
                id=job_id,
                account_id=account_id,
                social_account_id=social_account_id,
                platform="sandbox",
                status=ImportStatus.COMPLETED,
                max_posts=500,
                workflow_id=import_workflow_id(job_id),
            )
        )
    return job_id


async def social_account_row(stack: Stack, account_id: str, social_account_id: str) -> SocialAccount:
    async with stack.sessions() as session:
        row = await SocialAccountRepository(session).get(account_id, social_account_id)
    assert row is not None
    return row


async def seed_history(stack: Stack, tenant: Tenant, social_account_id: str, count: int) -> list[SandboxPost]:
    """``count`` past posts on the sandbox account, their media stored and served by the API."""
    row = await social_account_row(stack, tenant.account_id, social_account_id)
    return await seed_sandbox_history(
        stack.sessions,
        row,
        count,
        media_base_url=f"{stack.settings.public_base_url}/media",
        storage=stack.deps.storage,
    )


async def start_import(
    http: httpx.AsyncClient, tenant: Tenant, social_account_id: str, platform: str = "sandbox", **body: Any
) -> httpx.Response:
    return await http.post(
        f"/api/v1/social-import/{platform}", json={"accountId": social_account_id, **body}, headers=tenant.headers
    )


async def wait_for_import(
    http: httpx.AsyncClient, tenant: Tenant, job_id: str, timeout: float = 120.0
) -> dict[str, Any]:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        job: dict[str, Any] = (await http.get(f"/api/v1/social-import/jobs/{job_id}", headers=tenant.headers)).json()
        if job["status"] in FINISHED:
            return job
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"import {job_id} did not settle: {job}")
        await asyncio.sleep(0.2)


async def library(http: httpx.AsyncClient, tenant: Tenant, profile_id: str, **params: Any) -> list[dict[str, Any]]:
    """Every item of the profile's media library, page by page."""
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = {"limit": 100, **params, **({"cursor": cursor} if cursor else {})}
        response = await http.get(f"/api/v1/profiles/{profile_id}/media-library", params=query, headers=tenant.headers)
        assert response.status_code == 200, response.text
        body = response.json()
        items.extend(body["data"])
        cursor = body.get("nextCursor")
        if not cursor:
            return items


async def break_media(stack: Stack, platform_user_id: str, post_ids: list[str] | None = None) -> None:
    """Point sandbox posts' media (all of the account's, or ``post_ids``) at a closed port: downloads fail."""
    query = update(SandboxPost).where(SandboxPost.platform_user_id == platform_user_id)
    if post_ids is not None:
        query = query.where(SandboxPost.id.in_(post_ids))
    async with transaction(stack.sessions) as session:
        await session.execute(query.values(media_urls=["http://127.0.0.1:9/gone.png"]))
