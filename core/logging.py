"""Logging set-up shared by the API, the worker and the CLI."""

from __future__ import annotations

import logging


def configure_logging(level: str = "INFO") -> None:
    logging.basicConfig(
        level=level.upper(),
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    # httpx logs full request URLs at INFO, and some platforms (Instagram) put tokens in query strings.
    logging.getLogger("httpx").setLevel(logging.WARNING)
