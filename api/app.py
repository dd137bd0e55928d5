"""``create_app``: the FastAPI application with its lifespan-managed dependencies."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import timedelta

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute, iter_route_contexts

from api.accounts import routes as accounts
from api.analytics import routes as analytics
from api.auth import route_scope
from api.batches import routes as batches
from api.bodylimit import BodySizeLimitMiddleware
from api.calendar import routes as calendar
from api.campaigns import routes as campaigns
from api.characters import routes as characters
from api.characters import voice_routes as character_voice
from api.collaborations import routes as collaborations
from api.config import routes as config
from api.content import routes as content
from api.docs import install_offline_docs, operation_id
from api.errors import ERROR_RESPONSES, RequestIdMiddleware, install_error_handlers
from api.health import routes as health
from api.idempotency import IdempotencyMiddleware
from api.influencers import routes as influencers
from api.jobs import routes as jobs
from api.keycache import KeyCache, KeyUsageRecorder
from api.logcontext import LogContextMiddleware
from api.media import routes as media
from api.methods import build_method_table
from api.metrics import routes as metrics
from api.metrics.middleware import RequestMetricsMiddleware
from api.previews import routes as previews
from api.profiles import routes as profiles
from api.profiles import voice_routes as profile_voice
from api.publishing import routes as publishing
from api.ratelimit import RateLimitHeadersMiddleware, build_rate_limiter
from api.social_import import routes as social_import
from api.temporal import TemporalGateway
from api.tracing import instrument_app
from api.usage import routes as usage
from api.video_comparisons import routes as video_comparisons
from api.webhooks import routes as webhooks
from contracts.ui import API_PREFIX
from core.crypto import load_cipher
from core.logging import configure_logging, install_access_log_filter
from core.settings import Settings, get_settings
from core.start_up import freeze_start_up_objects
from core.tracing import configure_tracing
from providers.factory import build_storage
from providers.social.registry import build_social_platforms
from sandbox import routes as sandbox
from store.db import create_engine, create_session_factory

TITLE = "AutoPersonas Engine"
RESOURCE_ROUTERS: tuple[APIRouter, ...] = (
    influencers.router,
    characters.router,
    character_voice.router,
    profiles.router,
    profile_voice.router,
    accounts.router,
    config.router,
    batches.router,
    previews.router,
    jobs.router,
    content.router,
    usage.router,
    publishing.router,
    video_comparisons.router,
    social_import.router,
    webhooks.router,
    analytics.router,
    collaborations.router,
    campaigns.router,
    calendar.router,
)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine(settings.resolved_database_url)
        app.state.settings = settings
        app.state.engine = engine
        app.state.session_factory = create_session_factory(engine)
        app.state.storage = build_storage(settings)
        app.state.cipher = load_cipher(settings)
        app.state.platforms = build_social_platforms(settings)
        app.state.temporal = TemporalGateway(settings)
        app.state.rate_limiter = build_rate_limiter(settings.rate_limit_per_minute, settings.redis_url)
        app.state.key_cache = KeyCache(settings.api_key_cache_seconds)
        app.state.key_usage = KeyUsageRecorder(app.state.session_factory)
        freeze_start_up_objects()
        try:
            yield
        finally:
            await app.state.key_usage.drain()
            await app.state.rate_limiter.close()
            for platform in app.state.platforms.values():
                await platform.aclose()
            await engine.dispose()

    app = FastAPI(
        title=TITLE,
        docs_url=None,  # served offline by install_offline_docs
        redoc_url=None,
        generate_unique_id_function=operation_id,
        version="0.1.0",
        summary="Self-hostable AutoPersonas developer API: influencers, content, publishing, on Temporal.",
        lifespan=lifespan,
    )
    api = APIRouter(prefix=API_PREFIX, responses=ERROR_RESPONSES)
    for router in RESOURCE_ROUTERS:
        _document_scopes(router)
        _document_accepted_bodies(router)
        api.include_router(router)
    app.include_router(api)
    app.include_router(health.router)
    app.include_router(metrics.router)
    app.include_router(media.router)
    app.include_router(accounts.callback_router)
    if settings.sandbox_enabled:
        app.include_router(sandbox.router)
    install_offline_docs(app, TITLE)
    app.state.method_table = build_method_table(app)

    install_error_handlers(app)
    install_access_log_filter()  # whoever serves this app, access logs never show query strings (OAuth codes)
    # Outermost last: request ids wrap everything, idempotency sees the final response incl. rate headers,
    # and the body cap sits outside idempotency, which buffers bodies, so nothing buffers past the cap.
    app.add_middleware(RateLimitHeadersMiddleware)
    app.add_middleware(IdempotencyMiddleware, ttl=timedelta(hours=settings.idempotency_ttl_hours))
    app.add_middleware(
        BodySizeLimitMiddleware,
        max_body_bytes=settings.max_body_bytes,
        max_multipart_bytes=settings.max_multipart_bytes,
    )
    app.add_middleware(LogContextMiddleware)
    app.add_middleware(RequestIdMiddleware)
    # Outermost of ours: times the whole request, error handling included.
    app.add_middleware(RequestMetricsMiddleware)
    instrument_app(app)
    return app


def iter_api_routes(app: FastAPI) -> Iterator[tuple[str, APIRoute]]:
    """Every endpoint with its full path (FastAPI keeps included routers nested; this flattens them)."""
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, APIRoute) and context.path:
            yield context.path, route


def _document_scopes(router: APIRouter) -> None:
    """Write each operation's scope into its description, read from the same dependency that enforces it.
    Done on the router before it is included: FastAPI snapshots routes when it first resolves them."""
    for route in router.routes:
        if not isinstance(route, APIRoute):
            continue
        scope = route_scope(route)
        if scope is not None and "**Scope:**" not in (route.description or ""):
            note = f"**Scope:** `{scope.value}`"
            route.description = f"{route.description}\n\n{note}" if route.description else note


def _document_accepted_bodies(router: APIRouter) -> None:
    """A 202 carries the same body as the 200 (FastAPI serialises the response model whatever the
    status), so document it: a client generated from the schema can read a 202 like a 200."""
    for route in router.routes:
        if not isinstance(route, APIRoute) or route.response_model is None:
            continue
        accepted = route.responses.get(202)
        if accepted is not None and "model" not in accepted:
            route.responses[202] = {**accepted, "model": route.response_model}


def main_app() -> FastAPI:
    """Uvicorn factory target: ``uvicorn --factory api.app:main_app``."""
    settings = get_settings()
    configure_logging(settings.log_level, settings.log_format)
    configure_tracing("autopersonas-api")
    return create_app(settings)
