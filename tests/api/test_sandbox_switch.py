"""The embedded sandbox platform is served only when ``AUTOPERSONAS_SANDBOX_ENABLED`` is on."""

from __future__ import annotations

import httpx

from api.app import create_app
from tests.utils.factories import Tenant
from tests.utils.servers import free_port, serve_in_thread
from tests.utils.stack import Stack


async def test_sandbox_off_serves_no_platform_and_refuses_sandbox_accounts(stack: Stack, tenant: Tenant) -> None:
    settings = stack.settings.model_copy(update={"sandbox_enabled": False})
    with serve_in_thread(create_app(settings), free_port()) as base_url:
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:
            platform = await http.get("/sandbox/v1/users/sbx_1/posts", headers={"Authorization": "Bearer sbx_tok_x"})
            connect = await http.post(
                "/api/v1/accounts", json={"platform": "sandbox", "handle": "nope"}, headers=tenant.headers
            )
            spec = (await http.get("/openapi.json")).json()
            listed = (await http.get("/api/v1/accounts", headers=tenant.headers)).json()
    assert platform.status_code == 404
    assert connect.status_code == 403
    assert connect.json()["error"]["code"] == "feature_disabled"
    assert not any(path.startswith("/sandbox") for path in spec["paths"])
    assert listed["data"] == []


async def test_sandbox_on_serves_the_platform(http: httpx.AsyncClient) -> None:
    answer = await http.get("/sandbox/v1/users/sbx_1/posts", headers={"Authorization": "Bearer sbx_tok_x"})
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "invalid_token"
