"""Helpers for publishing tests: approved content, sandbox accounts and their posts."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from domain.video import VideoAsset
from store.db import transaction
from store.repositories.content import ContentRepository
from tests.utils.factories import Tenant, connect_sandbox, create_influencer, create_profile
from tests.utils.mp4 import tiny_mp4
from tests.utils.polling import wait_for_batch
from tests.utils.stack import Stack

SETTLED = {"published", "failed", "cancelled", "unpublished"}


async def approved_content(http: httpx.AsyncClient, tenant: Tenant) -> tuple[dict[str, Any], dict[str, Any]]:
    """(content item, profile): one generated item, approved, ready to publish."""
    influencer = await create_influencer(http, tenant)
    profile = await create_profile(http, tenant, influencer["id"])
    started = await http.post(
        "/api/v1/content/generate", json={"profileId": profile["id"], "count": 1}, headers=tenant.headers
    )
    batch = await wait_for_batch(http, tenant, started.json()["id"])
    content_id = batch["items"][0]["resultId"]
    approved = await http.post(f"/api/v1/content/{content_id}/approve", headers=tenant.headers)
    assert approved.status_code == 200, approved.text
    return approved.json(), profile


async def sandbox_account(
    http: httpx.AsyncClient, tenant: Tenant, profile_id: str | None, faults: dict[str, Any] | None = None
) -> dict[str, Any]:
    account = await connect_sandbox(http, tenant, profile_id)
    if faults:
        response = await http.put(
            f"/api/v1/accounts/{account['id']}/sandbox-faults", json=faults, headers=tenant.headers
        )
        assert response.status_code == 200, response.text
    return account


async def sandbox_posts(http: httpx.AsyncClient, tenant: Tenant, account_id: str) -> list[dict[str, Any]]:
    response = await http.get(f"/api/v1/accounts/{account_id}/sandbox-posts", headers=tenant.headers)
    assert response.status_code == 200, response.text
    posts: list[dict[str, Any]] = response.json()["data"]
    return posts


async def wait_for_publish(
    http: httpx.AsyncClient, tenant: Tenant, content_id: str, timeout: float = 90.0
) -> dict[str, Any]:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        status: dict[str, Any] = (
            await http.get(f"/api/v1/content/{content_id}/publish/status", headers=tenant.headers)
        ).json()
        if status["targets"] and all(t["status"] in SETTLED for t in status["targets"]):
            if status["contentStatus"] not in ("publishing", "scheduled"):
                return status
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"publish of {content_id} did not settle: {status}")
        await asyncio.sleep(0.2)


async def wait_for_unpublished(http: httpx.AsyncClient, tenant: Tenant, content_id: str) -> dict[str, Any]:
    deadline = asyncio.get_running_loop().time() + 60
    while True:
        status: dict[str, Any] = (
            await http.get(f"/api/v1/content/{content_id}/publish/status", headers=tenant.headers)
        ).json()
        if all(t["status"] == "unpublished" for t in status["targets"]):
            return status
        assert asyncio.get_running_loop().time() < deadline, status
        await asyncio.sleep(0.2)


async def attach_video(stack: Stack, content_id: str, data: bytes | None = None) -> str:
    """Store a small MP4 through the stack's storage and set it as the item's ``video`` (what the render
    endpoint will do); returns the video's public URL."""
    data = data if data is not None else tiny_mp4()
    storage = stack.deps.storage
    namespace = f"tests/videos/{content_id}"
    media_key = await storage.put(namespace, data, "video/mp4")
    poster_key = await storage.put(namespace, b"\x89PNG poster stand-in", "image/png")
    asset = VideoAsset(
        media_key=media_key, poster_key=poster_key, width=64, height=64, duration_seconds=1.0, size_bytes=len(data)
    )
    async with transaction(stack.sessions) as session:
        item = await ContentRepository(session).get_any(content_id)
        assert item is not None
        item.video = asset.model_dump(mode="json")
    return storage.url(media_key)
