"""A delivery survives its worker being killed with SIGKILL while the receiver is down: the first attempt
fails (nothing listens), the worker dies during the wait, the receiver comes up, a new worker starts, and the
event is delivered, signed, once."""

from __future__ import annotations

import asyncio
import signal

import httpx
import pytest
from standardwebhooks.webhooks import Webhook
from temporalio.testing import WorkflowEnvironment

from tests.conftest import temporal_address
from tests.e2e.test_generation_flow import _generate
from tests.utils.factories import Tenant, make_tenant
from tests.utils.polling import wait_for_batch
from tests.utils.processes import start_worker
from tests.utils.servers import free_port
from tests.utils.stack import running_stack, stack_settings
from tests.utils.webhooks import register_webhook, running_receiver, wait_for_deliveries

# The subprocess worker must reach the receiver on 127.0.0.1, like the API that accepted its URL.
PRIVATE_URLS = {"AUTOPERSONAS_ALLOW_PRIVATE_URLS": "true"}


async def _first_attempt(http: httpx.AsyncClient, tenant: Tenant, webhook_id: str) -> dict[str, object]:
    for _ in range(2400):
        response = await http.get(f"/api/v1/webhooks/{webhook_id}/deliveries", headers=tenant.headers)
        deliveries = response.json()["data"]
        if deliveries and deliveries[0]["attempts"]:
            delivery: dict[str, object] = deliveries[0]
            return delivery
        await asyncio.sleep(0.05)
    raise AssertionError("the first worker never attempted the delivery")


async def test_receiver_down_and_worker_killed_still_delivers_once(
    database_url: str, temporal_env: WorkflowEnvironment, tmp_path_factory: pytest.TempPathFactory
) -> None:
    data_dir = tmp_path_factory.mktemp("crash-webhook")
    settings = stack_settings(data_dir, database_url, temporal_address(temporal_env))
    port = free_port()
    async with running_stack(settings, temporal_env.client, with_worker=False) as stack:
        http = httpx.AsyncClient(base_url=stack.base_url, timeout=30)
        tenant = await make_tenant(stack.sessions)
        webhook = await register_webhook(http, tenant, f"http://127.0.0.1:{port}/hooks", events=["batch.completed"])
        first = start_worker(settings, data_dir / "worker-1.log", extra_env=PRIVATE_URLS)
        second = None
        try:
            started, _ = await _generate(http, tenant, 1)
            batch = await wait_for_batch(http, tenant, started["id"], timeout=180)
            assert batch["status"] == "completed"
            delivery = await _first_attempt(http, tenant, webhook["id"])
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
            assert delivery["status"] == "retrying", delivery
            attempts = delivery["attempts"]
            assert isinstance(attempts, list) and attempts[0]["statusCode"] is None and attempts[0]["error"]

            with running_receiver(port=port) as (receiver, _):
                second = start_worker(settings, data_dir / "worker-2.log", extra_env=PRIVATE_URLS)
                [settled] = await wait_for_deliveries(http, tenant, webhook["id"], timeout=180)
        finally:
            for process in (first, second):
                if process is not None and process.poll() is None:
                    process.kill()
                    process.wait(timeout=10)
            await http.aclose()

    assert settled["status"] == "succeeded", settled
    assert settled["attempts"][-1]["statusCode"] == 200
    assert len(receiver.received) == 1
    payload = Webhook(webhook["secret"]).verify(receiver.received[0].body, receiver.received[0].headers)
    assert payload["type"] == "batch.completed" and payload["data"]["id"] == batch["id"]
