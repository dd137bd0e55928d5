"""Logging set-up shared by the API, the worker and the CLI.

Two formats (``AUTOPERSONAS_LOG_FORMAT``): ``text``, one readable line per event for a terminal (the
default), and ``json``, one JSON object per line for a log pipeline. In JSON every line carries the
context it was written in: the request id and account id of an API request (bound by the API's
middleware and auth through :func:`bind_log_context`), and inside Temporal code the workflow id, run id,
activity type and attempt, read from the SDK wherever the line was logged from."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from typing import Any, Literal

import structlog
from temporalio import activity, workflow

ACCESS_LOGGER = "uvicorn.access"

LogFormat = Literal["text", "json"]
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
_OURS = "_autopersonas_handler"


class StripQueryString(logging.Filter):
    """Drops the query string from uvicorn's access log lines: ``/oauth/callback?code=...&state=...`` carries
    an authorization code, and other URLs may carry secrets too. Uvicorn logs ``(client, method, path,
    http_version, status)`` as arguments; the path is cut at ``?``."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str) and "?" in args[2]:
            record.args = (*args[:2], args[2].split("?", 1)[0], *args[3:])
        return True


def install_access_log_filter() -> None:
    logger = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(f, StripQueryString) for f in logger.filters):
        logger.addFilter(StripQueryString())


def bind_log_context(**values: str) -> None:
    """Attach values to every line logged later in this task (an API request is one task)."""
    structlog.contextvars.bind_contextvars(**values)


@contextmanager
def log_context(**values: str) -> Iterator[None]:
    """Attach values to every line logged inside the block, and only there."""
    with structlog.contextvars.bound_contextvars(**values):
        yield


def add_temporal_context(_: Any, __: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """Workflow id, run id, activity type and attempt of the Temporal code that logged the line. Activities
    are asked directly (any logger, any thread of the activity); workflow lines carry the SDK's
    ``temporal_workflow`` extra, because the workflow sandbox is not reachable from the handler."""
    if activity.in_activity():
        info = activity.info()
        event.setdefault("workflow_id", info.workflow_id)
        event.setdefault("run_id", info.workflow_run_id)
        event.setdefault("workflow_type", info.workflow_type)
        event.setdefault("activity_type", info.activity_type)
        event.setdefault("attempt", info.attempt)
        return event
    record = event.get("_record")
    details = getattr(record, "temporal_workflow", None)
    if isinstance(details, dict):
        event.setdefault("workflow_id", details.get("workflow_id"))
        event.setdefault("run_id", details.get("run_id"))
        event.setdefault("workflow_type", details.get("workflow_type"))
        event.setdefault("attempt", details.get("attempt"))
    return event


def _json_formatter() -> logging.Formatter:
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True, key="timestamp"),
        add_temporal_context,
    ]
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(sort_keys=False),
        ],
    )


def configure_logging(level: str = "INFO", fmt: LogFormat = "text") -> None:
    root = logging.getLogger()
    handler = logging.StreamHandler(sys.stderr)
    if fmt == "json":
        handler.setFormatter(_json_formatter())
        # The SDK would repeat the context it already gives as fields inside the message.
        activity.logger.activity_info_on_message = False
        workflow.logger.workflow_info_on_message = False
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    # Replace only the handler we installed before (a second call switches format); others, such as a test
    # runner's capture handler, stay.
    for old in [h for h in root.handlers if getattr(h, _OURS, False)]:
        root.removeHandler(old)
    setattr(handler, _OURS, True)
    root.addHandler(handler)
    root.setLevel(level.upper())
    # httpx logs full request URLs at INFO, and some platforms (Instagram) put tokens in query strings.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    install_access_log_filter()
