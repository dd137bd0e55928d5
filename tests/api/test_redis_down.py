"""Redis down: authenticated calls keep working on the in-process limiter (not 500), ``/readyz`` reports the
redis component as down without naming its address, and the limiter goes back to Redis when it returns."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from redis.asyncio import Redis
from temporalio.testing import WorkflowEnvironment

from api.app import create_app
from api.ratelimit import RedisRateLimiter
from tests.conftest import temporal_address
from tests.utils.factories import make_tenant
from tests.utils.servers import free_port, serve_in_thread
from tests.utils.services import REDIS_URL, redis_host_port
from tests.utils.stack import Stack, stack_settings

PROBE = "/api/v1/config/features"


class TestRedisDown:
    async def test_calls_fall_back_in_process_and_readyz_names_redis(
        self, stack: Stack, temporal_env: WorkflowEnvironment, tmp_path: Path, caplog: pytest.LogCaptureFixture
    ) -> None:
        closed = free_port()
        settings = stack_settings(
            tmp_path, stack.settings.resolved_database_url, temporal_address(temporal_env),
            redis_url=f"redis://127.0.0.1:{closed}/0", rate_limit_per_minute=3,
        )
        tenant = await make_tenant(stack.sessions)
        caplog.set_level(logging.WARNING, logger="autopersonas.api.ratelimit")
        with serve_in_thread(create_app(settings)) as base_url:
            async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:
                answers = [await http.get(PROBE, headers=tenant.headers) for _ in range(4)]
                ready = await http.get("/readyz")
        assert [a.status_code for a in answers] == [200, 200, 200, 429], [a.text for a in answers]
        assert answers[0].headers["X-RateLimit-Limit"] == "3"
        assert any("ratelimit.redis_unavailable" in r.getMessage() for r in caplog.records)
        assert ready.status_code == 503
        body = ready.json()
        assert body["status"] == "unavailable"
        assert body["checks"]["redis"] is False
        assert body["checks"]["database"] is True
        assert str(closed) not in ready.text and "127.0.0.1" not in ready.text


@contextlib.asynccontextmanager
async def redis_proxy(port: int) -> AsyncIterator[None]:
    """Forward ``port`` to the real Redis while open; closing it makes Redis 'come back down'."""
    host, real_port = redis_host_port()

    async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        writer.close()

    async def forward(client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection(host, real_port)
        await asyncio.gather(pipe(client_reader, upstream_writer), pipe(upstream_reader, client_writer))

    server = await asyncio.start_server(forward, "127.0.0.1", port)
    try:
        yield
    finally:
        server.close()


@pytest.mark.redis
class TestRedisRecovers:
    async def test_limiter_returns_to_redis_when_it_is_back(self) -> None:
        port = free_port()
        limiter = RedisRateLimiter(f"redis://127.0.0.1:{port}/0", limit=10, retry_seconds=0.0, prefix="test:rl:")
        real = Redis.from_url(REDIS_URL)
        key = f"k-{port}"
        try:
            await real.delete("test:rl:" + key)
            down = await limiter.hit(key)
            assert down.allowed and limiter.degraded
            assert await limiter.ping() is False
            assert await real.zcard("test:rl:" + key) == 0
            async with redis_proxy(port):
                back = await limiter.hit(key)
                assert back.allowed and not limiter.degraded
                assert await limiter.ping() is True
                assert await real.zcard("test:rl:" + key) == 1  # counted in Redis again
        finally:
            await real.delete("test:rl:" + key)
            await real.aclose()
            await limiter.close()
