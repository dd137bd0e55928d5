"""Provider faults: transient failures are retried until every item is made; a permanent one fails only
its item, with the provider's reason, and the batch reports partially_failed."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from temporalio.testing import WorkflowEnvironment

from tests.conftest import temporal_address
from tests.utils.factories import Tenant, create_influencer, create_profile, make_tenant
from tests.utils.faults import Faults, FaultyImages, FaultyText
from tests.utils.polling import wait_for_batch
from tests.utils.stack import Stack, running_stack, stack_settings
from worker import WorkerDependencies


async def _faulty_stack(
    database_url: str, env: WorkflowEnvironment, tmp_path_factory: pytest.TempPathFactory, faults: Faults
) -> AsyncIterator[Stack]:
    def inject(deps: WorkerDependencies) -> None:
        deps.images = FaultyImages(deps.images, faults)
        deps.text = FaultyText(deps.text, faults)

    settings = stack_settings(tmp_path_factory.mktemp("faulty"), database_url, temporal_address(env))
    async with running_stack(settings, env.client, customize=inject) as stack:
        yield stack


async def _run_batch(stack: Stack, count: int) -> tuple[dict, Tenant, httpx.AsyncClient]:
    tenant = await make_tenant(stack.sessions)
    http = httpx.AsyncClient(base_url=stack.base_url, timeout=30)
    influencer = await create_influencer(http, tenant)
    profile = await create_profile(http, tenant, influencer["id"])
    started = await http.post(
        "/api/v1/content/generate", json={"profileId": profile["id"], "count": count}, headers=tenant.headers
    )
    assert started.status_code == 202, started.text
    return await wait_for_batch(http, tenant, started.json()["id"], timeout=240), tenant, http


async def test_thirty_percent_transient_failures_still_complete_every_item(
    database_url: str, temporal_env: WorkflowEnvironment, tmp_path_factory: pytest.TempPathFactory
) -> None:
    faults = Faults(transient_rate=0.3, seed=11)
    async for stack in _faulty_stack(database_url, temporal_env, tmp_path_factory, faults):
        batch, tenant, http = await _run_batch(stack, 6)
        assert batch["status"] == "completed"
        assert batch["counts"]["completed"] == 6
        assert faults.transient_raised > 0
        content = await http.get("/api/v1/content", params={"batchId": batch["id"]}, headers=tenant.headers)
        assert len(content.json()["data"]) == 6
        await http.aclose()


async def test_permanent_error_fails_one_item_with_its_reason(
    database_url: str, temporal_env: WorkflowEnvironment, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # The second provider call is refused for good; nothing retries it.
    faults = Faults(permanent_calls=frozenset({2}))
    async for stack in _faulty_stack(database_url, temporal_env, tmp_path_factory, faults):
        batch, tenant, http = await _run_batch(stack, 4)
        assert batch["status"] == "partially_failed"
        assert batch["counts"]["failed"] == 1
        assert batch["counts"]["completed"] == 3
        failed = [item for item in batch["items"] if item["status"] == "failed"]
        assert failed[0]["errorCode"] == "ContentPolicyError"
        assert "content policy" in failed[0]["error"]
        content = await http.get("/api/v1/content", params={"batchId": batch["id"]}, headers=tenant.headers)
        assert len(content.json()["data"]) == 3
        # Whatever the failed item had rendered before failing is not left behind.
        content_root = stack.settings.resolved_media_dir / tenant.account_id / "content"
        assert len([p for p in content_root.rglob("*") if p.is_file()]) == 3
        await http.aclose()
