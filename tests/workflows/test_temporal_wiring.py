"""Temporal wiring: search attributes are registered once and idempotently, and a worker started before
Temporal waits for it instead of dying (the way Postiz's workers left posts stuck)."""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path

import pytest
from temporalio.api.operatorservice.v1 import ListSearchAttributesRequest
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from core.settings import Settings
from core.temporal import SEARCH_ATTRIBUTE_NAMES, ensure_search_attributes
from tests.conftest import temporal_cli
from tests.utils.databases import create_sqlite_database
from tests.utils.processes import start_worker
from tests.utils.servers import free_port


async def test_search_attributes_are_added_once() -> None:
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=temporal_cli(),
        data_converter=pydantic_data_converter,
        dev_server_log_level="error",
    )
    try:
        first = await ensure_search_attributes(env.client, "default")
        second = await ensure_search_attributes(env.client, "default")
        listed = await env.client.operator_service.list_search_attributes(
            ListSearchAttributesRequest(namespace="default")
        )
    finally:
        await env.shutdown()
    assert sorted(first) == sorted(SEARCH_ATTRIBUTE_NAMES)
    assert second == []
    assert set(SEARCH_ATTRIBUTE_NAMES) <= set(listed.custom_attributes)


async def test_worker_started_before_temporal_waits_then_connects(tmp_path: Path) -> None:
    port = free_port()
    settings = Settings(
        data_dir=tmp_path,
        database_url=await create_sqlite_database(tmp_path),
        temporal_address=f"127.0.0.1:{port}",
    )
    log = tmp_path / "worker.log"
    worker = start_worker(settings, log)
    try:
        # Wait for the first refused connection (however long the imports take on a busy machine), then
        # check that the worker is still alive: no Temporal yet, and it keeps trying instead of exiting.
        for _ in range(300):
            if "temporal.connect_failed" in log.read_text() or worker.poll() is not None:
                break
            await asyncio.sleep(0.2)
        assert "temporal.connect_failed" in log.read_text(), log.read_text()
        await asyncio.sleep(1.0)
        assert worker.poll() is None, log.read_text()
        temporal = await WorkflowEnvironment.start_local(
            dev_server_existing_path=temporal_cli(), port=port, dev_server_log_level="error"
        )
        try:
            for _ in range(150):
                if "worker.started" in log.read_text():
                    break
                await asyncio.sleep(0.2)
            assert "worker.started" in log.read_text(), log.read_text()
            assert worker.poll() is None
        finally:
            await temporal.shutdown()
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            pytest.fail("the worker did not stop on SIGTERM")
