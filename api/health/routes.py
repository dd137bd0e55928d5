"""Liveness and readiness, without a key, for load balancers and ``make run``."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from api.deps import TemporalDep
from api.ratelimit import RedisRateLimiter
from core.wire import Schema

router = APIRouter(tags=["health"])


class Health(Schema):
    status: str
    checks: dict[str, bool] = {}


@router.get("/healthz", response_model=Health, summary="The process is up")
async def healthz() -> Health:
    return Health(status="ok")


@router.get(
    "/readyz", response_model=Health, summary="Database, Temporal and (when configured) Redis are reachable",
    responses={503: {"model": Health, "description": "A dependency is unreachable"}},
)
async def readyz(request: Request, temporal: TemporalDep) -> JSONResponse:
    database = True
    try:
        async with request.app.state.session_factory() as session:
            await session.execute(text("SELECT 1"))
    except Exception:
        database = False
    checks = {"database": database, "temporal": await temporal.is_ready()}
    # A configured Redis is part of readiness: while it is down the rate limit falls back to per-process
    # budgets, which is safe for one replica but not what a multi-replica deployment asked for. The check
    # is named, never its address.
    limiter = request.app.state.rate_limiter
    if isinstance(limiter, RedisRateLimiter):
        checks["redis"] = await limiter.ping()
    ready = all(checks.values())
    body = Health(status="ok" if ready else "unavailable", checks=checks)
    return JSONResponse(status_code=200 if ready else 503, content=body.model_dump(by_alias=True))
