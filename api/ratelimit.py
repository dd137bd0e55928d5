"""Per-key rate limiting over a sliding 60-second window: in memory for one process, in Redis when
several API processes must share one budget. A sliding window (not a fixed, minute-aligned one) keeps
the promise "at most N in any minute" even across a minute boundary."""

from __future__ import annotations

import asyncio
import logging
import math
import time
import uuid
from collections import deque
from dataclasses import dataclass
from typing import Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger("autopersonas.api.ratelimit")

WINDOW_SECONDS = 60.0


@dataclass(frozen=True)
class RateLimitResult:
    allowed: bool
    limit: int
    remaining: int
    reset_at: float

    @property
    def retry_after(self) -> int:
        return max(1, math.ceil(self.reset_at - time.time()))

    def headers(self) -> dict[str, str]:
        headers = {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(math.ceil(self.reset_at)),
        }
        if not self.allowed:
            headers["Retry-After"] = str(self.retry_after)
        return headers


class RateLimiter(Protocol):
    async def hit(self, key: str) -> RateLimitResult: ...

    async def close(self) -> None: ...


class MemoryRateLimiter:
    def __init__(self, limit: int, window: float = WINDOW_SECONDS) -> None:
        self.limit = limit
        self.window = window
        self._hits: dict[str, deque[float]] = {}
        self._lock = asyncio.Lock()

    async def hit(self, key: str) -> RateLimitResult:
        async with self._lock:
            now = time.time()
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            allowed = len(hits) < self.limit
            if allowed:
                hits.append(now)
            reset_at = (hits[0] if hits else now) + self.window
            return RateLimitResult(allowed, self.limit, self.limit - len(hits), reset_at)

    async def close(self) -> None:
        self._hits.clear()


# Atomic in Redis: trim the window, count, admit or refuse, and report the oldest hit for the reset time.
_SLIDING_WINDOW_LUA = """
local key = KEYS[1]
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local member = ARGV[4]
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local count = redis.call('ZCARD', key)
local allowed = 0
if count < limit then
  redis.call('ZADD', key, now, member)
  count = count + 1
  allowed = 1
end
redis.call('PEXPIRE', key, math.ceil(window * 1000))
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
local oldest_score = now
if oldest[2] then oldest_score = tonumber(oldest[2]) end
return {allowed, count, tostring(oldest_score)}
"""


class RedisRateLimiter:
    """The shared limiter, with the in-process one behind it: when Redis errors, requests are limited per
    process (a warning says so once per outage) instead of failing with 500, and after ``retry_seconds``
    Redis is tried again, so the shared budget comes back by itself when Redis does."""

    def __init__(
        self,
        url: str,
        limit: int,
        window: float = WINDOW_SECONDS,
        prefix: str = "autopersonas:rl:",
        retry_seconds: float = 5.0,
        timeout_seconds: float = 1.0,
    ) -> None:
        self.limit = limit
        self.window = window
        self.prefix = prefix
        self.retry_seconds = retry_seconds
        # Short timeouts: a Redis that hangs must not hold every request for the client's default.
        self._redis: Redis = Redis.from_url(
            url, socket_connect_timeout=timeout_seconds, socket_timeout=timeout_seconds
        )
        self._script = self._redis.register_script(_SLIDING_WINDOW_LUA)
        self._fallback = MemoryRateLimiter(limit, window)
        self._down_until: float | None = None

    @property
    def degraded(self) -> bool:
        """True while requests are limited in process because Redis last failed."""
        return self._down_until is not None

    async def hit(self, key: str) -> RateLimitResult:
        if self._down_until is not None and time.monotonic() < self._down_until:
            return await self._fallback.hit(key)
        now = time.time()
        try:
            allowed, count, oldest = await self._script(
                keys=[self.prefix + key], args=[now, self.window, self.limit, f"{now}:{uuid.uuid4().hex}"]
            )
        except (RedisError, OSError) as exc:
            if self._down_until is None:
                logger.warning("ratelimit.redis_unavailable fallback=in_process error=%s", type(exc).__name__)
            self._down_until = time.monotonic() + self.retry_seconds
            return await self._fallback.hit(key)
        if self._down_until is not None:
            logger.warning("ratelimit.redis_recovered")
            self._down_until = None
        return RateLimitResult(bool(allowed), self.limit, max(0, self.limit - int(count)), float(oldest) + self.window)

    async def ping(self) -> bool:
        """Whether Redis answers now (for ``/readyz``)."""
        try:
            return bool(await self._redis.ping())
        except (RedisError, OSError):
            return False

    async def close(self) -> None:
        await self._redis.aclose()
        await self._fallback.close()


def build_rate_limiter(limit: int, redis_url: str | None) -> RateLimiter:
    return RedisRateLimiter(redis_url, limit) if redis_url else MemoryRateLimiter(limit)


class RateLimitHeadersMiddleware:
    """Adds the X-RateLimit-* headers to every response of an authenticated request, errors included."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            result = scope.get("state", {}).get("rate_limit")
            if message["type"] == "http.response.start" and isinstance(result, RateLimitResult):
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [
                    (name.lower().encode(), value.encode())
                    for name, value in result.headers().items()
                    if name.lower().encode() not in present
                ]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)
