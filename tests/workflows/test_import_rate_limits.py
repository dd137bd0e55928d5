"""Rate limits slow an import down, they do not fail it: a platform answering 429 (with a reset time) to every
page's first request still yields every post, each page read again after the wait."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any, cast

import httpx
import pytest
from temporalio.testing import WorkflowEnvironment

from core.errors import TransientProviderError
from providers.social.base import AccountCredentials, PostPage, SocialPlatform
from tests.conftest import temporal_address
from tests.utils.factories import create_influencer, create_profile, make_tenant
from tests.utils.imports import library, seed_history, start_import, wait_for_import
from tests.utils.publishing import sandbox_account
from tests.utils.stack import Stack, running_stack, stack_settings
from worker import WorkerDependencies

POSTS = 250


class RateLimitedPages:
    """The sandbox platform, answering 429 with a one-second reset to the first request for each page."""

    def __init__(self, inner: SocialPlatform) -> None:
        self.inner = inner
        self.asked: set[str | None] = set()
        self.limited = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    async def list_posts(
        self, creds: AccountCredentials, cursor: str | None = None, limit: int = 20, since: datetime | None = None
    ) -> PostPage:
        if cursor not in self.asked:
            self.asked.add(cursor)
            self.limited += 1
            raise TransientProviderError("rate limited (HTTP 429)", retry_after=1.0, status=429)
        return await self.inner.list_posts(creds, cursor, limit, since)


@pytest.fixture
async def limited_stack(
    database_url: str, temporal_env: WorkflowEnvironment, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[tuple[Stack, RateLimitedPages]]:
    holder: list[RateLimitedPages] = []

    def inject(deps: WorkerDependencies) -> None:
        holder.append(RateLimitedPages(deps.platforms["sandbox"]))
        deps.platforms["sandbox"] = cast(SocialPlatform, holder[0])

    settings = stack_settings(tmp_path_factory.mktemp("limited"), database_url, temporal_address(temporal_env))
    async with running_stack(settings, temporal_env.client, customize=inject) as stack:
        yield stack, holder[0]


async def test_429_on_every_page_waits_and_still_imports_every_post(
    limited_stack: tuple[Stack, RateLimitedPages],
) -> None:
    stack, platform = limited_stack
    async with httpx.AsyncClient(base_url=stack.base_url, timeout=30) as http:
        tenant = await make_tenant(stack.sessions)
        influencer = await create_influencer(http, tenant)
        profile = await create_profile(http, tenant, influencer["id"])
        account = await sandbox_account(http, tenant, profile["id"])
        await seed_history(stack, tenant, account["id"], POSTS)
        started = await start_import(http, tenant, account["id"], maxPosts=POSTS, includeMedia=False)
        assert started.status_code == 202, started.text
        job = await wait_for_import(http, tenant, started.json()["id"], timeout=180)
        assert job["status"] == "completed", job
        assert job["counts"] == {"discovered": POSTS, "imported": POSTS, "skipped": 0, "failed": 0}
        assert platform.limited == 3  # one 429 per page of 100
        assert len(await library(http, tenant, profile["id"])) == POSTS
