"""OpenTelemetry tracing: one trace from the HTTP request through the workflow it starts to that workflow's
activities and their outgoing HTTP calls.

Off unless ``OTEL_EXPORTER_OTLP_ENDPOINT`` is set (the standard OpenTelemetry variable; the exporter also
reads ``OTEL_EXPORTER_OTLP_HEADERS`` and friends, and ``OTEL_SERVICE_NAME`` names the service). When it is
on, the Temporal client of the API and of the worker carries the SDK's ``TracingInterceptor``, which puts
the span context in the workflow's headers, the API app is instrumented for FastAPI and every httpx client
for outgoing calls. Off, nothing is patched and no span is made, so the default costs nothing."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

from temporalio.client import Interceptor

# The OpenTelemetry packages are imported only when tracing is turned on: a process without tracing (the
# default) does not pay for loading them at start.
if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider

logger = logging.getLogger("autopersonas.tracing")

OTLP_ENDPOINT_VARIABLE = "OTEL_EXPORTER_OTLP_ENDPOINT"
TRACER_NAME = "autopersonas"

_provider: TracerProvider | None = None


def configure_tracing(service_name: str) -> TracerProvider | None:
    """Export spans over OTLP/HTTP when the endpoint variable is set; a no-op (returning None) otherwise."""
    if _provider is not None:
        return _provider
    if not os.environ.get(OTLP_ENDPOINT_VARIABLE):
        return None
    from opentelemetry import trace
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import SERVICE_NAME, Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    name = os.environ.get("OTEL_SERVICE_NAME", service_name)
    provider = TracerProvider(resource=Resource.create({SERVICE_NAME: name}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    install_tracer_provider(provider)
    logger.info("tracing.enabled service=%s endpoint=%s", name, os.environ[OTLP_ENDPOINT_VARIABLE])
    return provider


def install_tracer_provider(provider: TracerProvider) -> None:
    """Trace with ``provider`` from now on in this process (tests install one with an in-memory exporter)."""
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor

    global _provider
    _provider = provider
    HTTPXClientInstrumentor().instrument(tracer_provider=provider)


def uninstall_tracer_provider() -> None:
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor

    global _provider
    if _provider is not None:
        HTTPXClientInstrumentor().uninstrument()
        _provider = None


def tracer_provider() -> TracerProvider | None:
    """The provider in use, or None when tracing is off."""
    return _provider


def temporal_interceptors() -> Sequence[Interceptor]:
    """Client interceptors for the Temporal client; a worker built on that client inherits them."""
    if _provider is None:
        return ()
    from temporalio.contrib.opentelemetry import TracingInterceptor

    return (TracingInterceptor(_provider.get_tracer(TRACER_NAME)),)
