"""FastAPI instrumentation: a server span per request, parent of the workflow spans the request starts
(the Temporal client's tracing interceptor carries the context into the workflow's headers). Only when
tracing is on (``core/tracing.py``); otherwise the app is left exactly as built."""

from __future__ import annotations

from fastapi import FastAPI

from core.tracing import tracer_provider

# Probes and scrapes would otherwise be most of the traces.
EXCLUDED_URLS = "/healthz,/readyz,/metrics"


def instrument_app(app: FastAPI) -> None:
    provider = tracer_provider()
    if provider is not None:
        # Imported only when tracing is on, like the rest of OpenTelemetry (see core/tracing.py).
        from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

        FastAPIInstrumentor.instrument_app(app, tracer_provider=provider, excluded_urls=EXCLUDED_URLS)
