"""``Idempotency-Key``: a repeat replays the first response, a different body is 422, keys are per API key."""

from __future__ import annotations

import asyncio
import uuid

import httpx

from core.scopes import Scope
from tests.utils.factories import Tenant, add_key
from tests.utils.stack import Stack


async def test_repeat_replays_first_response_and_creates_once(http: httpx.AsyncClient, tenant: Tenant) -> None:
    headers = tenant.headers | {"Idempotency-Key": str(uuid.uuid4())}
    first = await http.post("/api/v1/influencers", json={"name": "Once"}, headers=headers)
    second = await http.post("/api/v1/influencers", json={"name": "Once"}, headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second.headers["idempotent-replayed"] == "true"
    listing = (await http.get("/api/v1/influencers", headers=tenant.headers)).json()["data"]
    assert [i["id"] for i in listing] == [first.json()["id"]]


async def test_same_key_different_body_is_422(http: httpx.AsyncClient, tenant: Tenant) -> None:
    headers = tenant.headers | {"Idempotency-Key": str(uuid.uuid4())}
    assert (await http.post("/api/v1/influencers", json={"name": "A"}, headers=headers)).status_code == 201
    conflict = await http.post("/api/v1/influencers", json={"name": "B"}, headers=headers)
    assert conflict.status_code == 422
    assert conflict.json()["error"]["code"] == "idempotency_key_reused"
    names = [i["name"] for i in (await http.get("/api/v1/influencers", headers=tenant.headers)).json()["data"]]
    assert names == ["A"]


async def test_keys_are_scoped_per_api_key(http: httpx.AsyncClient, stack: Stack, tenant: Tenant) -> None:
    second_key = await add_key(stack.sessions, tenant.account_id, [Scope.CHARACTER_WRITE, Scope.CHARACTER_READ])
    idem = {"Idempotency-Key": str(uuid.uuid4())}
    one = await http.post("/api/v1/influencers", json={"name": "K"}, headers=tenant.headers | idem)
    two = await http.post("/api/v1/influencers", json={"name": "K"}, headers=second_key.headers | idem)
    assert one.status_code == two.status_code == 201
    assert one.json()["id"] != two.json()["id"]


async def test_failed_validation_is_replayed_not_reprocessed(http: httpx.AsyncClient, tenant: Tenant) -> None:
    headers = tenant.headers | {"Idempotency-Key": str(uuid.uuid4())}
    first = await http.post("/api/v1/influencers", json={"name": ""}, headers=headers)
    second = await http.post("/api/v1/influencers", json={"name": ""}, headers=headers)
    assert first.status_code == second.status_code == 422
    assert second.headers.get("idempotent-replayed") == "true"


async def test_concurrent_repeats_create_one_resource(http: httpx.AsyncClient, tenant: Tenant) -> None:
    headers = tenant.headers | {"Idempotency-Key": str(uuid.uuid4())}
    responses = await asyncio.gather(
        *(http.post("/api/v1/influencers", json={"name": "Race"}, headers=headers) for _ in range(5))
    )
    created = {r.json()["id"] for r in responses if r.status_code == 201}
    assert len(created) == 1
    assert all(r.status_code in (201, 409) for r in responses)
    listing = (await http.get("/api/v1/influencers", headers=tenant.headers)).json()["data"]
    assert len(listing) == 1


async def test_unauthenticated_request_with_key_is_still_401(http: httpx.AsyncClient) -> None:
    response = await http.post("/api/v1/influencers", json={"name": "X"}, headers={"Idempotency-Key": "abc"})
    assert response.status_code == 401
