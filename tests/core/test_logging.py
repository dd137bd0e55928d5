"""JSON logs carry their context: request id and account id inside an API request, workflow id, run id,
activity type and attempt inside an activity. Text stays the default."""

from __future__ import annotations

import dataclasses
import io
import json
import logging
from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI
from temporalio import activity
from temporalio.testing import ActivityEnvironment

from api.errors import RequestIdMiddleware
from api.logcontext import LogContextMiddleware
from core.logging import bind_log_context, configure_logging
from core.settings import Settings

logger = logging.getLogger("autopersonas.test")


@pytest.fixture
def json_logs() -> Iterator[io.StringIO]:
    """What our root handler writes, in JSON; the handler is removed afterwards."""
    configure_logging("INFO", "json")
    root = logging.getLogger()
    ours = [h for h in root.handlers if getattr(h, "_autopersonas_handler", False)]
    buffer = io.StringIO()
    for handler in ours:
        assert isinstance(handler, logging.StreamHandler)
        handler.setStream(buffer)
    logger.disabled = False  # a logging.config call elsewhere in the session may have disabled it
    try:
        yield buffer
    finally:
        for handler in ours:
            root.removeHandler(handler)


def lines(buffer: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in buffer.getvalue().splitlines() if line.startswith("{")]


def test_text_is_the_default_format() -> None:
    assert Settings().log_format == "text"


async def test_activity_lines_carry_workflow_and_activity(json_logs: io.StringIO) -> None:
    @activity.defn(name="render_item")
    async def render_item() -> None:
        activity.logger.info("generation.rendered")
        logger.info("plain.logger.line")  # a module logger inside an activity gets the same context

    env = ActivityEnvironment()
    env.info = dataclasses.replace(env.info, workflow_id="batch-bat_1", activity_type="render_item", attempt=3)
    await env.run(render_item)
    wanted = ("generation.rendered", "plain.logger.line")
    [first, second] = [line for line in lines(json_logs) if line["event"] in wanted]
    for line in (first, second):
        assert line["workflow_id"] == "batch-bat_1"
        assert line["run_id"] == env.info.workflow_run_id
        assert line["activity_type"] == "render_item"
        assert line["attempt"] == 3
        assert line["level"] == "info"
        assert "timestamp" in line


async def test_request_lines_carry_request_and_account(json_logs: io.StringIO) -> None:
    app = FastAPI()

    @app.get("/work")
    async def work() -> dict[str, str]:
        bind_log_context(account_id="acc_42")  # what auth does once the key is known
        logger.info("work.done")
        return {}

    app.add_middleware(LogContextMiddleware)
    app.add_middleware(RequestIdMiddleware)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http:
        await http.get("/work", headers={"X-Request-ID": "req-abc"})
        await http.get("/work", headers={"X-Request-ID": "req-def"})
    logger.info("after.requests")
    found = lines(json_logs)
    done = [line for line in found if line["event"] == "work.done"]
    assert [(d["request_id"], d["account_id"]) for d in done] == [("req-abc", "acc_42"), ("req-def", "acc_42")]
    [after] = [line for line in found if line["event"] == "after.requests"]
    assert "request_id" not in after and "account_id" not in after
