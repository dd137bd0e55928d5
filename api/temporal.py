"""The API's one Temporal client, connected lazily and kept while it works. The API starts and serves
reads while Temporal is down; operations that need it answer 503 until it is back. A call that finds the
server unreachable marks the client suspect: the next caller checks its health and, if it is still
dead, drops it and connects afresh, so a restarted (or moved) server is picked up without an API restart.
The 503 never names the server's address; the log does."""

from __future__ import annotations

import asyncio
import logging

from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from core.errors import ServiceUnavailable
from core.settings import Settings
from core.temporal import connect
from core.temporal_connection import connect_config, described_target

logger = logging.getLogger("autopersonas.api.temporal")

UNREACHABLE = "workflow engine unreachable; try again shortly"
UNREACHABLE_CODES = (RPCStatusCode.UNAVAILABLE, RPCStatusCode.DEADLINE_EXCEEDED, RPCStatusCode.CANCELLED)


def is_unreachable(exc: BaseException) -> bool:
    """A failure that says the server could not be reached, not that it refused the request."""
    if isinstance(exc, RPCError):
        return exc.status in UNREACHABLE_CODES
    return isinstance(exc, (TimeoutError, ConnectionError, OSError))


class TemporalGateway:
    def __init__(self, settings: Settings, client: Client | None = None) -> None:
        self.settings = settings
        self._client = client
        self._suspect = False
        self._lock = asyncio.Lock()

    async def client(self, timeout: float = 5.0) -> Client:
        if self._client is not None and not self._suspect:
            return self._client
        async with self._lock:
            if self._client is not None and self._suspect:
                try:
                    await asyncio.wait_for(self._client.service_client.check_health(), timeout)
                    self._suspect = False
                except Exception as exc:
                    self._client = None
                    raise self.unavailable(exc) from exc
            if self._client is None:
                try:
                    self._client = await asyncio.wait_for(connect(self.settings), timeout)
                    self._suspect = False
                except Exception as exc:
                    raise self.unavailable(exc) from exc
            return self._client

    def unavailable(self, exc: BaseException) -> ServiceUnavailable:
        """Mark the client suspect and build the 503 for the caller (the address goes to the log only)."""
        self._suspect = True
        logger.warning(
            "temporal.unavailable temporal=%s error=%r", described_target(connect_config(self.settings)), exc
        )
        return ServiceUnavailable(UNREACHABLE, headers={"Retry-After": "5"})

    async def is_ready(self) -> bool:
        try:
            client = await self.client(timeout=3.0)
            await asyncio.wait_for(client.service_client.check_health(), 3.0)
        except Exception as exc:
            if self._client is not None:
                self.unavailable(exc)
            return False
        return True
