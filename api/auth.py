"""Bearer API keys, per-key rate limits and scopes. Each resource declares its auth once as an alias
(``CharacterRead``...), so an endpoint only writes ``principal: CharacterRead``."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.keycache import KeyCache, KeyRecord
from core.errors import Forbidden, RateLimited, Unauthorized
from core.logging import bind_log_context
from core.scopes import Scope
from core.secrets import hash_secret, is_well_formed
from store.repositories.accounts import ApiKeyRepository

bearer_scheme = HTTPBearer(
    auto_error=False, scheme_name="ApiKey", description="An API key: `Authorization: Bearer ap_live_...`"
)


@dataclass(frozen=True)
class Principal:
    account_id: str
    api_key_id: str
    scopes: frozenset[str]


_STATE_KEY = "api_key"


async def lookup_api_key(
    state: dict[str, Any], app_state: Any, secret: str
) -> KeyRecord | None:
    """The key a well-formed secret names. Cached in the request's ASGI state (the idempotency middleware
    and ``authenticate`` both need it) and, for a couple of seconds, in the process's ``KeyCache``: only a
    miss in both goes to the database."""
    cached = state.get(_STATE_KEY)
    if isinstance(cached, tuple) and cached[0] == secret:
        record: KeyRecord | None = cached[1]
        return record
    secret_hash = hash_secret(secret)
    cache: KeyCache = app_state.key_cache
    record = cache.get(secret_hash)
    if record is None:
        session_factory: async_sessionmaker[AsyncSession] = app_state.session_factory
        async with session_factory() as session:
            key = await ApiKeyRepository(session).get_by_hash(secret_hash)
        if key is not None:
            record = KeyRecord(
                id=key.id,
                account_id=key.account_id,
                scopes=frozenset(key.scopes),
                revoked=key.revoked_at is not None,
                last_used_at=key.last_used_at,
            )
            cache.put(secret_hash, record)
    state[_STATE_KEY] = (secret, record)
    return record


async def authenticate(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("missing API key: send Authorization: Bearer ap_live_...", code="missing_api_key")
    secret = credentials.credentials.strip()
    if not is_well_formed(secret):
        raise Unauthorized("malformed API key: expected ap_live_ followed by 43 characters", code="invalid_api_key")
    key = await lookup_api_key(request.scope.setdefault("state", {}), request.app.state, secret)
    if key is None:
        raise Unauthorized("unknown API key", code="invalid_api_key")
    if key.revoked:
        raise Unauthorized("this API key has been revoked", code="revoked_api_key")

    result = await request.app.state.rate_limiter.hit(key.id)
    request.state.rate_limit = result
    if not result.allowed:
        raise RateLimited(
            f"rate limit of {result.limit} requests per minute exceeded; retry in {result.retry_after}s",
            headers=result.headers(),
        )
    # Recorded at most once a minute per key, off the request's path (see KeyUsageRecorder).
    await request.app.state.key_usage.used(key)
    bind_log_context(account_id=key.account_id)  # every later log line of this request names the account
    return Principal(account_id=key.account_id, api_key_id=key.id, scopes=key.scopes)


def require(scope: Scope) -> Callable[..., Coroutine[Any, Any, Principal]]:
    async def check_scope(principal: Annotated[Principal, Depends(authenticate)]) -> Principal:
        if scope.value not in principal.scopes:
            raise Forbidden(
                f"this API key lacks the {scope.value} scope", code="missing_scope", details={"scope": scope.value}
            )
        return principal

    check_scope.required_scope = scope  # type: ignore[attr-defined]
    return check_scope


def require_any(scope: Scope, *alternatives: Scope) -> Callable[..., Coroutine[Any, Any, Principal]]:
    """``scope``, or any of ``alternatives`` when the route narrows further on the resource it loads (a job is
    readable with the scope that started it). ``scope`` is the one documented and named when all are missing."""
    accepted = {scope.value, *(a.value for a in alternatives)}

    async def check_any_scope(principal: Annotated[Principal, Depends(authenticate)]) -> Principal:
        if not accepted & principal.scopes:
            raise Forbidden(
                f"this API key lacks the {scope.value} scope", code="missing_scope", details={"scope": scope.value}
            )
        return principal

    check_any_scope.required_scope = scope  # type: ignore[attr-defined]
    return check_any_scope


CharacterRead = Annotated[Principal, Depends(require(Scope.CHARACTER_READ))]
CharacterWrite = Annotated[Principal, Depends(require(Scope.CHARACTER_WRITE))]
ContentRead = Annotated[Principal, Depends(require(Scope.CONTENT_READ))]
ContentWrite = Annotated[Principal, Depends(require(Scope.CONTENT_WRITE))]
ContentGenerate = Annotated[Principal, Depends(require(Scope.CONTENT_GENERATE))]
PublishingWrite = Annotated[Principal, Depends(require(Scope.PUBLISHING_WRITE))]
AnalyticsRead = Annotated[Principal, Depends(require(Scope.ANALYTICS_READ))]
ProfileRead = Annotated[Principal, Depends(require(Scope.PROFILE_READ))]
ProfileWrite = Annotated[Principal, Depends(require(Scope.PROFILE_WRITE))]


def route_scope(route: APIRoute) -> Scope | None:
    """The scope a route requires, read from its dependency tree (used for docs and the route-table test)."""
    pending = list(route.dependant.dependencies)
    while pending:
        dependant = pending.pop()
        scope = getattr(dependant.call, "required_scope", None)
        if isinstance(scope, Scope):
            return scope
        pending.extend(dependant.dependencies)
    return None
