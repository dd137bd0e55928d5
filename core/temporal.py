"""The one Temporal client factory: the API, the worker, the CLI and the tests all connect through here,
with the pydantic data converter, and with backoff so a process started before Temporal waits for it."""

from __future__ import annotations

import asyncio
import logging

from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest, ListSearchAttributesRequest
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.runtime import Runtime
from temporalio.service import RPCError, RPCStatusCode

from core.settings import Settings
from core.temporal_connection import connect_config, described_target
from core.tracing import temporal_interceptors

logger = logging.getLogger("autopersonas.temporal")

# Keyword search attributes that let an operator filter the Temporal UI by our resource ids.
SEARCH_ATTRIBUTE_NAMES: tuple[str, ...] = (
    "AccountId",
    "InfluencerId",
    "ProfileId",
    "ContentId",
    "BatchId",
    "CampaignId",
)


async def connect(settings: Settings, runtime: Runtime | None = None) -> Client:
    """``runtime`` carries the worker's metrics exporter; the tracing interceptor is added when tracing is on."""
    return await Client.connect(
        **connect_config(settings),
        data_converter=pydantic_data_converter,
        interceptors=temporal_interceptors(),
        runtime=runtime,
    )


async def connect_with_backoff(
    settings: Settings, *, max_attempts: int | None = None, max_delay: float = 15.0, runtime: Runtime | None = None
) -> Client:
    """Keep trying to connect (forever by default) instead of dying when Temporal is not up yet."""
    delay, attempt = 0.5, 0
    while True:
        attempt += 1
        try:
            return await connect(settings, runtime)
        except Exception as exc:
            if max_attempts is not None and attempt >= max_attempts:
                raise
            logger.warning(
                "temporal.connect_failed target=%s attempt=%d retry_in=%.1fs error=%s",
                described_target(connect_config(settings)),
                attempt,
                delay,
                exc,
            )
            await asyncio.sleep(delay)
            delay = min(max_delay, delay * 2)


async def ensure_search_attributes(client: Client, namespace: str) -> list[str]:
    """Register our custom search attributes where missing; idempotent, returns the names it added.
    Temporal Cloud refuses the operator service to API keys: there an operator registers them once
    (``tcld namespace search-attributes add``), and we go on without failing the start."""
    try:
        existing = await client.operator_service.list_search_attributes(
            ListSearchAttributesRequest(namespace=namespace)
        )
    except RPCError as exc:
        if exc.status not in (RPCStatusCode.PERMISSION_DENIED, RPCStatusCode.UNIMPLEMENTED):
            raise
        logger.warning("temporal.search_attributes_unmanaged namespace=%s names=%s", namespace, SEARCH_ATTRIBUTE_NAMES)
        return []
    known = set(existing.custom_attributes) | set(existing.system_attributes)
    missing = [name for name in SEARCH_ATTRIBUTE_NAMES if name not in known]
    if missing:
        await client.operator_service.add_search_attributes(
            AddSearchAttributesRequest(
                namespace=namespace,
                search_attributes={name: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD for name in missing},
            )
        )
        logger.info("temporal.search_attributes_added names=%s", ",".join(missing))
    return missing
