"""Internal addresses stay inside: with the workflow engine unreachable, neither the 503 a client gets nor
the batch row it can read afterwards names the Temporal address (or the database's)."""

from __future__ import annotations

import httpx

from api.app import create_app
from tests.api.test_content import ai_profile
from tests.utils.factories import Tenant
from tests.utils.servers import free_port, serve_in_thread
from tests.utils.stack import Stack


async def test_generate_with_temporal_unreachable_is_503_without_the_address(stack: Stack, tenant: Tenant) -> None:
    closed_port = free_port()  # bound and released at once: nothing listens there
    address = f"127.0.0.1:{closed_port}"
    settings = stack.settings.model_copy(update={"temporal_address": address})
    with serve_in_thread(create_app(settings), free_port()) as base_url:
        async with httpx.AsyncClient(base_url=base_url, timeout=60) as http:
            _, profile_id = await ai_profile(http, tenant)
            answer = await http.post(
                "/api/v1/content/generate", json={"profileId": profile_id, "count": 1}, headers=tenant.headers
            )
            batches = (await http.get("/api/v1/batches", headers=tenant.headers)).json()["data"]
    assert answer.status_code == 503, answer.text
    assert answer.json()["error"]["code"] == "service_unavailable"
    internal = (address, str(closed_port), settings.resolved_database_url, "127.0.0.1")
    assert not any(text in answer.text for text in internal)
    [batch] = batches
    assert batch["status"] == "failed"
    assert batch["error"]
    assert not any(text in str(batch) for text in internal)
