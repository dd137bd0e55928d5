"""Walks every /api/v1 route: no key is 401, a key with every scope but the route's is 403 naming it, and
another account's resource is 404. New routes are covered without editing these tests."""

from __future__ import annotations

import httpx
import pytest

from core.scopes import ALL_SCOPES
from tests.api.routes_table import BODILESS, PARAM_RESOURCES, RouteCase, api_routes, needs_body
from tests.api.test_content import upload_content
from tests.utils.factories import (
    Tenant,
    add_key,
    connect_sandbox,
    create_influencer,
    create_profile,
    create_video_comparison,
    make_tenant,
)
from tests.utils.imports import create_import_job
from tests.utils.polling import wait_for_batch
from tests.utils.stack import Stack
from tests.utils.webhooks import create_delivery, register_webhook

ROUTES = api_routes()


def test_every_route_declares_a_scope_and_known_inputs() -> None:
    assert len(ROUTES) >= 15
    for case in ROUTES:
        assert case.scope is not None, f"{case.id} has no scope"
        unknown = [p for p in case.params if p not in PARAM_RESOURCES]
        assert not unknown, f"{case.id}: add {unknown} to PARAM_RESOURCES"
        if needs_body(case) and case.body() is None and (case.method, case.path) not in BODILESS:
            pytest.fail(f"{case.id}: add a valid body to SAMPLE_BODIES")


async def _call(
    http: httpx.AsyncClient, case: RouteCase, ids: dict[str, str], headers: dict[str, str]
) -> httpx.Response:
    return await http.request(case.method, case.url(ids), json=case.body(), headers=headers)


@pytest.fixture(scope="session")
async def owner(stack: Stack) -> tuple[Tenant, dict[str, str]]:
    """One account owning one of every resource, made once per backend (the walks only read them)."""
    tenant = await make_tenant(stack.sessions)
    async with httpx.AsyncClient(base_url=stack.base_url, timeout=60) as http:
        influencer = await create_influencer(http, tenant)
        profile = await create_profile(http, tenant, influencer["id"])
        account = await connect_sandbox(http, tenant, profile["id"])
        content = await upload_content(http, tenant, profile["id"])
        previews = await http.post(
            f"/api/v1/influencers/{influencer['id']}/previews", json={"count": 1}, headers=tenant.headers
        )
        batch = await wait_for_batch(http, tenant, previews.json()["id"])
        job = await http.post(
            f"/api/v1/characters/{influencer['id']}/wardrobe/generate", json={"count": 1}, headers=tenant.headers
        )
        webhook = await register_webhook(http, tenant, "http://127.0.0.1:9/hooks")
        partner = await create_influencer(http, tenant, name="Partner")
        collaboration = await http.post(
            "/api/v1/collaborations",
            json={"name": "Duo", "influencerIds": [influencer["id"], partner["id"]], "profileId": profile["id"],
                  "count": 1},
            headers=tenant.headers,
        )  # fmt: skip
        campaign = await http.post(
            "/api/v1/campaigns",
            json={"name": "Probe", "profileId": profile["id"], "schedule": {"cron": "0 8 * * 1-5"}},
            headers=tenant.headers,
        )
        assert campaign.status_code == 201, campaign.text
    # A comparison row without its workflow: the walks only read it, and no render needs to run for that.
    comparison = await create_video_comparison(stack.sessions, tenant.account_id, content["id"])
    # Likewise a finished import row without its workflow.
    import_job = await create_import_job(stack.sessions, tenant.account_id, account["id"])
    # And a settled delivery of that webhook.
    delivery = await create_delivery(stack.sessions, tenant.account_id, webhook["id"])
    return tenant, {
        "influencer": influencer["id"],
        "profile": profile["id"],
        "social_account": account["id"],
        "content": content["id"],
        "batch": batch["id"],
        "preview": batch["items"][0]["resultId"],
        "job": job.json()["id"],
        "platform": "x",
        "video_comparison": comparison,
        "import_job": import_job,
        "webhook": webhook["id"],
        "webhook_delivery": delivery,
        "collaboration": collaboration.json()["id"],
        "campaign": campaign.json()["id"],
    }


@pytest.fixture
def owned_ids(owner: tuple[Tenant, dict[str, str]]) -> dict[str, str]:
    return owner[1]


@pytest.mark.parametrize("case", ROUTES, ids=[c.id for c in ROUTES])
async def test_no_key_is_401(http: httpx.AsyncClient, case: RouteCase) -> None:
    ids = dict.fromkeys(PARAM_RESOURCES.values(), "x_missing")
    response = await _call(http, case, ids, {})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "missing_api_key"


@pytest.mark.parametrize("case", ROUTES, ids=[c.id for c in ROUTES])
async def test_key_without_the_scope_is_403(
    http: httpx.AsyncClient,
    stack: Stack,
    owner: tuple[Tenant, dict[str, str]],
    owned_ids: dict[str, str],
    case: RouteCase,
) -> None:
    assert case.scope is not None
    refused = {case.scope} | case.also_accepted
    lacking = await add_key(stack.sessions, owner[0].account_id, [s for s in ALL_SCOPES if s not in refused])
    response = await _call(http, case, owned_ids, lacking.headers)
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "missing_scope"
    assert case.scope.value in error["message"]


READ_PATHS = {
    "influencer": "/api/v1/influencers/{}",
    "profile": "/api/v1/profiles/{}",
    "social_account": "/api/v1/accounts/{}",
    "content": "/api/v1/content/{}",
    "batch": "/api/v1/batches/{}",
    "preview": "/api/v1/previews/{}",
    "job": "/api/v1/jobs/{}",
    "video_comparison": "/api/v1/video-comparisons/{}",
    "import_job": "/api/v1/social-import/jobs/{}",
    "webhook": "/api/v1/webhooks/{}",
    "collaboration": "/api/v1/collaborations/{}",
    "campaign": "/api/v1/campaigns/{}",
}


# Routes that name one of an account's resources; a path that names only a platform has nothing to hide.
OWNED_ROUTES = [c for c in ROUTES if any(PARAM_RESOURCES[p] in READ_PATHS for p in c.params)]


@pytest.mark.parametrize("case", OWNED_ROUTES, ids=[c.id for c in OWNED_ROUTES])
async def test_other_accounts_resource_is_404(
    http: httpx.AsyncClient,
    owner: tuple[Tenant, dict[str, str]],
    other_tenant: Tenant,
    owned_ids: dict[str, str],
    case: RouteCase,
) -> None:
    response = await _call(http, case, owned_ids, other_tenant.headers)
    assert response.status_code == 404, response.text
    assert response.json()["error"]["code"] == "not_found"
    # And the owner still sees the resource untouched.
    kind = PARAM_RESOURCES[case.params[0]]
    still = await http.get(READ_PATHS[kind].format(owned_ids[kind]), headers=owner[0].headers)
    assert still.status_code == 200


async def test_lists_show_only_own_resources(
    http: httpx.AsyncClient, owner: tuple[Tenant, dict[str, str]], other_tenant: Tenant
) -> None:
    for path in ("influencers", "profiles", "accounts", "content", "batches", "webhooks", "collaborations"):
        mine = (await http.get(f"/api/v1/{path}", headers=owner[0].headers)).json()["data"]
        theirs = (await http.get(f"/api/v1/{path}", headers=other_tenant.headers)).json()["data"]
        assert mine, path
        assert theirs == [], path
