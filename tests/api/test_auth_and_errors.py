"""API keys (401 cases, revocation), the one error shape, request ids and 500s without stack traces."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from api.app import create_app
from core.secrets import new_api_secret
from store.db import transaction
from store.repositories.accounts import ApiKeyRepository
from tests.utils.factories import Tenant, make_tenant
from tests.utils.stack import Stack


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ({}, "missing_api_key"),
        ({"Authorization": "Basic abc"}, "missing_api_key"),
        ({"Authorization": "Bearer sk_live_abc"}, "invalid_api_key"),
        ({"Authorization": "Bearer ap_live_short"}, "invalid_api_key"),
    ],
)
async def test_missing_or_malformed_key_is_401(http: httpx.AsyncClient, header: dict[str, str], code: str) -> None:
    response = await http.get("/api/v1/influencers", headers=header)
    assert response.status_code == 401
    assert response.json() == {"error": {"code": code, "message": response.json()["error"]["message"], "details": None}}


async def test_unknown_key_is_401(http: httpx.AsyncClient) -> None:
    response = await http.get("/api/v1/influencers", headers={"Authorization": f"Bearer {new_api_secret()}"})
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "unknown API key"


async def test_revoked_key_is_401(http: httpx.AsyncClient, stack: Stack, tenant: Tenant) -> None:
    assert (await http.get("/api/v1/influencers", headers=tenant.headers)).status_code == 200
    async with transaction(stack.sessions) as session:
        await ApiKeyRepository(session).revoke(tenant.key_id)
    response = await http.get("/api/v1/influencers", headers=tenant.headers)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "revoked_api_key"


async def test_keys_are_stored_only_as_hashes(stack: Stack, tenant: Tenant) -> None:
    async with transaction(stack.sessions) as session:
        key = await ApiKeyRepository(session).get(tenant.key_id)
    assert key is not None
    assert tenant.secret not in (key.secret_hash, key.prefix)
    assert len(key.secret_hash) == 64
    assert tenant.secret.startswith(key.prefix)


async def test_unknown_route_uses_the_error_shape(http: httpx.AsyncClient, tenant: Tenant) -> None:
    response = await http.get("/api/v1/nothing-here", headers=tenant.headers)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert response.headers["x-request-id"]


async def test_validation_error_names_fields(http: httpx.AsyncClient, tenant: Tenant) -> None:
    response = await http.get("/api/v1/influencers", params={"limit": 0}, headers=tenant.headers)
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "limit"


async def test_caller_request_id_is_echoed(http: httpx.AsyncClient) -> None:
    response = await http.get("/healthz", headers={"X-Request-ID": "trace-123"})
    assert response.headers["x-request-id"] == "trace-123"


async def test_unexpected_error_is_500_without_trace(stack: Stack, caplog: pytest.LogCaptureFixture) -> None:
    app: FastAPI = create_app(stack.settings)

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internals")

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://app") as client:
        response = await client.get("/boom")
    assert response.status_code == 500
    body = response.json()
    assert body["error"]["code"] == "internal_error"
    assert "secret internals" not in response.text
    request_id = response.headers["x-request-id"]
    assert request_id in body["error"]["message"]
    assert any(request_id in record.getMessage() for record in caplog.records)


async def test_use_of_a_key_is_recorded_with_and_without_an_idempotency_key(
    stack: Stack, http: httpx.AsyncClient
) -> None:
    plain = await make_tenant(stack.sessions)
    keyed = await make_tenant(stack.sessions)
    assert (await http.get("/api/v1/influencers", headers=plain.headers)).status_code == 200
    created = await http.post(
        "/api/v1/influencers",
        json={"name": "Ada", "basePrompt": "a woman"},
        headers={**keyed.headers, "Idempotency-Key": "once"},
    )
    assert created.status_code == 201
    async with stack.sessions() as session:
        for tenant in (plain, keyed):
            key = await ApiKeyRepository(session).get(tenant.key_id)
            assert key is not None and key.last_used_at is not None
