"""Starting workflows from the API: the resource row is committed first, then the workflow started; if
Temporal refuses or is down, the row is marked failed and the caller gets 409/503, so nothing is left
waiting for work that never began."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import WorkflowHandle
from temporalio.common import TypedSearchAttributes
from temporalio.exceptions import WorkflowAlreadyStartedError

from api.temporal import TemporalGateway
from core.errors import Conflict, ServiceUnavailable
from core.settings import Settings


async def start_workflow(
    session: AsyncSession,
    temporal: TemporalGateway,
    settings: Settings,
    *,
    workflow: str,
    arg: Any,
    workflow_id: str,
    search_attributes: TypedSearchAttributes,
    on_failure: Any,
    busy_message: str = "this work is already running",
) -> WorkflowHandle[Any, Any]:
    """Commit, then start. ``on_failure(message)`` marks the committed row failed if the start fails."""
    await session.commit()
    try:
        client = await temporal.client()
        return await client.start_workflow(
            workflow, arg, id=workflow_id, task_queue=settings.task_queue, search_attributes=search_attributes
        )
    except WorkflowAlreadyStartedError as exc:
        await on_failure(busy_message)
        await session.commit()
        raise Conflict(busy_message, code="already_running") from exc
    except Exception as exc:
        await on_failure(f"could not start: {exc}")
        await session.commit()
        if isinstance(exc, ServiceUnavailable):
            raise
        raise ServiceUnavailable("the workflow engine refused the start; try again shortly") from exc


async def wait_briefly(handle: WorkflowHandle[Any, Any], seconds: float) -> bool:
    """True when the workflow closed within ``seconds`` (successfully or not)."""
    if seconds <= 0:
        return False
    try:
        await asyncio.wait_for(handle.result(), seconds)
    except TimeoutError:
        return False
    except Exception:
        return True
    return True
