"""The API's one Temporal client, connected lazily and kept for the process lifetime. The API starts and
serves reads while Temporal is down; operations that need it answer 503 until it is back."""

from __future__ import annotations

import asyncio
import logging

from temporalio.client import Client

from core.errors import ServiceUnavailable
from core.settings import Settings
from core.temporal import connect

logger = logging.getLogger("autopersonas.api.temporal")


class TemporalGateway:
    def __init__(self, settings: Settings, client: Client | None = None) -> None:
        self.settings = settings
        self._client = client
        self._lock = asyncio.Lock()

    async def client(self, timeout: float = 5.0) -> Client:
        if self._client is not None:
            return self._client
        async with self._lock:
            if self._client is None:
                try:
                    self._client = await asyncio.wait_for(connect(self.settings), timeout)
                except Exception as exc:
                    logger.warning("temporal.unavailable address=%s error=%r", self.settings.temporal_address, exc)
                    raise ServiceUnavailable(
                        "workflow engine unreachable; try again shortly",
                        headers={"Retry-After": "5"},
                    ) from exc
        return self._client

    async def is_ready(self) -> bool:
        try:
            client = await self.client(timeout=3.0)
            await asyncio.wait_for(client.service_client.check_health(), 3.0)
        except Exception:
            return False
        return True
