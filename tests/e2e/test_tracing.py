"""One trace across the boundary: the HTTP request, the workflow it starts, that workflow's child workflows
and activities. Spans go to an in-memory exporter; the API, its Temporal client and the worker are wired
exactly as ``OTEL_EXPORTER_OTLP_ENDPOINT`` wires them, only the exporter differs."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from temporalio.testing import WorkflowEnvironment

from core.temporal import connect
from core.tracing import install_tracer_provider, uninstall_tracer_provider
from tests.conftest import temporal_address
from tests.utils.factories import create_influencer, create_profile, make_tenant
from tests.utils.polling import wait_for_batch
from tests.utils.stack import running_stack, stack_settings


@pytest.fixture
def exporter() -> Iterator[InMemorySpanExporter]:
    spans = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(spans))
    install_tracer_provider(provider)
    try:
        yield spans
    finally:
        uninstall_tracer_provider()


async def test_request_workflow_and_activities_share_one_trace(
    exporter: InMemorySpanExporter,
    database_url: str,
    temporal_env: WorkflowEnvironment,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    settings = stack_settings(tmp_path_factory.mktemp("traced"), database_url, temporal_address(temporal_env))
    client = await connect(settings)  # carries the tracing interceptor, as the worker's client does
    async with (
        running_stack(settings, client) as stack,
        httpx.AsyncClient(base_url=stack.base_url, timeout=30) as http,
    ):
        tenant = await make_tenant(stack.sessions)
        influencer = await create_influencer(http, tenant)
        profile = await create_profile(http, tenant, influencer["id"])
        exporter.clear()
        started = await http.post(
            "/api/v1/content/generate", json={"profileId": profile["id"], "count": 2}, headers=tenant.headers
        )
        assert started.status_code == 202, started.text
        batch = await wait_for_batch(http, tenant, started.json()["id"])
        assert batch["status"] == "completed"

    spans = exporter.get_finished_spans()
    [server] = [s for s in spans if s.name == "POST /api/v1/content/generate"]
    trace_id = server.context.trace_id
    in_trace = {s.name for s in spans if s.context.trace_id == trace_id}
    assert "StartWorkflow:BatchGenerationWorkflow" in in_trace
    assert "RunWorkflow:BatchGenerationWorkflow" in in_trace
    assert "StartChildWorkflow:GenerationChunkWorkflow" in in_trace
    assert "RunWorkflow:GenerationChunkWorkflow" in in_trace
    for step in ("start_batch", "plan_item", "render_item", "write_caption", "save_content_item", "finalize_batch"):
        assert f"RunActivity:{step}" in in_trace, step
    # Every span the batch made belongs to the request's trace: nothing started a trace of its own.
    temporal_kinds = {"StartWorkflow", "RunWorkflow", "StartChildWorkflow", "StartActivity", "RunActivity"}
    temporal_spans = [s for s in spans if s.name.split(":")[0] in temporal_kinds]
    assert len(temporal_spans) >= 16
    assert {s.context.trace_id for s in temporal_spans} == {trace_id}
