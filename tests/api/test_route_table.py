"""Walks every /api/v1 route: no key is 401, a key with every scope but the route's is 403 naming it, and
another account's resource is 404. New routes are covered without editing these tests."""

from __future__ import annotations

import httpx
import pytest

from core.scopes import ALL_SCOPES
from tests.api.routes_table import PARAM_RESOURCES, RouteCase, api_routes, needs_body
from tests.api.test_content import upload_content
from tests.utils.factories import Tenant, add_key, connect_sandbox, create_influencer, create_profile
from tests.utils.stack import Stack

ROUTES = api_routes()


def test_every_route_declares_a_scope_and_known_inputs() -> None:
    assert len(ROUTES) >= 15
    for case in ROUTES:
        assert case.scope is not None, f"{case.id} has no scope"
        unknown = [p for p in case.params if p not in PARAM_RESOURCES]
        assert not unknown, f"{case.id}: add {unknown} to PARAM_RESOURCES"
        if needs_body(case) and case.body() is None and not case.path.endswith(("/approve", "/cancel")):
            pytest.fail(f"{case.id}: add a valid body to SAMPLE_BODIES")


async def _call(
    http: httpx.AsyncClient, case: RouteCase, ids: dict[str, str], headers: dict[str, str]
) -> httpx.Response:
    return await http.request(case.method, case.url(ids), json=case.body(), headers=headers)


@pytest.fixture
async def owned_ids(http: httpx.AsyncClient, tenant: Tenant) -> dict[str, str]:
    influencer = await create_influencer(http, tenant)
    profile = await create_profile(http, tenant, influencer["id"])
    account = await connect_sandbox(http, tenant, profile["id"])
    content = await upload_content(http, tenant, profile["id"])
    return {
        "influencer": influencer["id"],
        "profile": profile["id"],
        "social_account": account["id"],
        "content": content["id"],
    }


@pytest.mark.parametrize("case", ROUTES, ids=[c.id for c in ROUTES])
async def test_no_key_is_401(http: httpx.AsyncClient, case: RouteCase) -> None:
    ids = dict.fromkeys(PARAM_RESOURCES.values(), "x_missing")
    response = await _call(http, case, ids, {})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "missing_api_key"


@pytest.mark.parametrize("case", ROUTES, ids=[c.id for c in ROUTES])
async def test_key_without_the_scope_is_403(
    http: httpx.AsyncClient, stack: Stack, tenant: Tenant, owned_ids: dict[str, str], case: RouteCase
) -> None:
    assert case.scope is not None
    lacking = await add_key(stack.sessions, tenant.account_id, [s for s in ALL_SCOPES if s != case.scope])
    response = await _call(http, case, owned_ids, lacking.headers)
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "missing_scope"
    assert case.scope.value in error["message"]


@pytest.mark.parametrize("case", [c for c in ROUTES if c.params], ids=[c.id for c in ROUTES if c.params])
async def test_other_accounts_resource_is_404(
    http: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant, owned_ids: dict[str, str], case: RouteCase
) -> None:
    response = await _call(http, case, owned_ids, other_tenant.headers)
    assert response.status_code == 404, response.text
    assert response.json()["error"]["code"] == "not_found"
    # And the owner still sees the resource untouched.
    first = case.params[0]
    kind = PARAM_RESOURCES[first]
    paths = {"influencer": "influencers", "profile": "profiles", "social_account": "accounts", "content": "content"}
    path = paths[kind]
    still = await http.get(f"/api/v1/{path}/{owned_ids[kind]}", headers=tenant.headers)
    assert still.status_code == 200


async def test_lists_show_only_own_resources(
    http: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant, owned_ids: dict[str, str]
) -> None:
    for path in ("influencers", "profiles", "accounts", "content"):
        mine = (await http.get(f"/api/v1/{path}", headers=tenant.headers)).json()["data"]
        theirs = (await http.get(f"/api/v1/{path}", headers=other_tenant.headers)).json()["data"]
        assert mine, path
        assert theirs == [], path
