"""The worker's Prometheus endpoint (the Temporal SDK runtime's exporter): the SDK's own metrics and our
product counters, scraped after a real batch (one item refused by the provider) and a real publish."""

from __future__ import annotations

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from temporalio.testing import WorkflowEnvironment

from core.metrics import prometheus_runtime
from core.temporal import connect
from tests.conftest import temporal_address
from tests.utils.factories import create_influencer, create_profile, make_tenant
from tests.utils.faults import Faults, FaultyImages
from tests.utils.polling import wait_for_batch
from tests.utils.publishing import sandbox_account, wait_for_publish
from tests.utils.servers import free_port
from tests.utils.stack import running_stack, stack_settings
from worker import WorkerDependencies


def samples(text: str, name: str) -> dict[frozenset[tuple[str, str]], float]:
    """Every sample of the metric ``name`` by its labels."""
    found: dict[frozenset[tuple[str, str]], float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name:
                found[frozenset(sample.labels.items())] = sample.value
    return found


def total(text: str, name: str, **labels: str) -> float:
    return sum(v for k, v in samples(text, name).items() if set(labels.items()) <= k)


async def test_worker_serves_sdk_metrics_and_product_counters(
    database_url: str, temporal_env: WorkflowEnvironment, tmp_path_factory: pytest.TempPathFactory
) -> None:
    port = free_port()
    settings = stack_settings(tmp_path_factory.mktemp("metrics"), database_url, temporal_address(temporal_env))
    client = await connect(settings, prometheus_runtime("127.0.0.1", port))
    # The second image call is refused for good: one item fails, the others are generated.
    faults = Faults(permanent_calls=frozenset({2}))

    def inject(deps: WorkerDependencies) -> None:
        deps.images = FaultyImages(deps.images, faults)

    async with (
        running_stack(settings, client, customize=inject) as stack,
        httpx.AsyncClient(base_url=stack.base_url, timeout=30) as http,
    ):
        tenant = await make_tenant(stack.sessions)
        influencer = await create_influencer(http, tenant)
        profile = await create_profile(http, tenant, influencer["id"])
        started = await http.post(
            "/api/v1/content/generate", json={"profileId": profile["id"], "count": 3}, headers=tenant.headers
        )
        batch = await wait_for_batch(http, tenant, started.json()["id"])
        assert batch["counts"] == {**batch["counts"], "completed": 2, "failed": 1}
        content_id = next(i["resultId"] for i in batch["items"] if i["status"] == "completed")
        assert (await http.post(f"/api/v1/content/{content_id}/approve", headers=tenant.headers)).status_code == 200
        await sandbox_account(http, tenant, profile["id"])
        assert (await http.post(f"/api/v1/content/{content_id}/publish", headers=tenant.headers)).status_code == 202
        assert (await wait_for_publish(http, tenant, content_id))["contentStatus"] == "published"

        async with httpx.AsyncClient() as scraper:
            scraped = await scraper.get(f"http://127.0.0.1:{port}/metrics")
    assert scraped.status_code == 200
    text = scraped.text
    queue = settings.task_queue
    assert total(text, "autopersonas_items_generated_total", provider="faulty-local", kind="content") == 2
    assert total(text, "autopersonas_items_failed_total", provider="faulty-local", task_queue=queue) == 1
    assert total(text, "autopersonas_posts_published_total", platform="sandbox", task_queue=queue) == 1
    assert total(text, "autopersonas_posts_failed_total", platform="sandbox") == 0
    # The SDK's own metrics come from the same endpoint.
    assert total(text, "temporal_workflow_completed_total", workflow_type="BatchGenerationWorkflow") >= 1
    assert total(text, "temporal_activity_execution_latency_count", activity_type="render_item") >= 3
