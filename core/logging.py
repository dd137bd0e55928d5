"""Logging set-up shared by the API, the worker and the CLI."""

from __future__ import annotations

import logging

ACCESS_LOGGER = "uvicorn.access"


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


def configure_logging(level: str = "INFO") -> None:
    logging.basicConfig(
        level=level.upper(),
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    # httpx logs full request URLs at INFO, and some platforms (Instagram) put tokens in query strings.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    install_access_log_filter()
