"""``POST /video-comparisons/{id}/experiment``: what cannot run is refused naming the field and writes nothing
(a malformed or out-of-range window, duplicate or foreign accounts, a comparison without two finished
variants); what can starts with its plan of waves. (The experiment itself runs to its decision in
``tests/workflows/test_video_experiment.py``.)"""

from __future__ import annotations

import httpx

from store.repositories.video import VideoComparisonRepository
from tests.utils.experiments import finished_comparison
from tests.utils.factories import Tenant, create_video_comparison
from tests.utils.publishing import approved_content, sandbox_account
from tests.utils.stack import Stack


async def test_bad_experiments_are_refused_and_leave_nothing_behind(
    stack: Stack, http: httpx.AsyncClient, tenant: Tenant
) -> None:
    content, profile = await approved_content(http, tenant)
    account = await sandbox_account(http, tenant, profile["id"])
    comparison_id = await create_video_comparison(stack.sessions, tenant.account_id, content["id"])
    url = f"/api/v1/video-comparisons/{comparison_id}/experiment"

    async def post(body: dict[str, object]) -> httpx.Response:
        return await http.post(url, json=body, headers=tenant.headers)

    malformed = await post({"accountIds": [account["id"]], "window": "two days"})
    too_long = await post({"accountIds": [account["id"]], "window": "31d"})
    twice = await post({"accountIds": [account["id"], account["id"]], "window": "48h"})
    unfinished = await post({"accountIds": [account["id"]], "window": "48h"})

    assert malformed.status_code == 422 and "window" in str(malformed.json()["error"]["details"])
    assert too_long.status_code == 422 and "window" in str(too_long.json()["error"]["details"])
    assert twice.status_code == 422 and "accountIds" in str(twice.json()["error"]["details"])
    assert unfinished.status_code == 409 and unfinished.json()["error"]["code"] == "invalid_transition"
    async with stack.sessions() as session:
        comparison = await VideoComparisonRepository(session).get_any(comparison_id)
    assert comparison is not None and comparison.experiment is None
    shown = await http.get(f"/api/v1/video-comparisons/{comparison_id}", headers=tenant.headers)
    assert shown.status_code == 200 and shown.json()["experiment"] is None


async def test_an_experiment_starts_with_its_plan_and_names_a_foreign_account(
    stack: Stack, http: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    content, profile = await approved_content(http, tenant)
    account = await sandbox_account(http, tenant, profile["id"])
    foreign = await sandbox_account(http, other_tenant, None)
    comparison_id = await finished_comparison(stack, tenant, content["id"])
    url = f"/api/v1/video-comparisons/{comparison_id}/experiment"

    not_yours = await http.post(
        url, json={"accountIds": [account["id"], foreign["id"]], "window": "48h"}, headers=tenant.headers
    )
    started = await http.post(url, json={"accountIds": [account["id"]], "window": "48h"}, headers=tenant.headers)
    again = await http.post(url, json={"accountIds": [account["id"]], "window": "48h"}, headers=tenant.headers)
    await stack.client.get_workflow_handle(f"experiment-{comparison_id}").terminate("test over")

    assert not_yours.status_code == 422
    assert not_yours.json()["error"]["details"] == [{"field": "accountIds[1]", "message": "not found"}]
    assert started.status_code == 202, started.text
    experiment = started.json()["experiment"]
    assert experiment["status"] == "running" and experiment["windowSeconds"] == 48 * 3600
    # Two variants, one account: the second goes out a window after the first (wave 1).
    assert [(t["label"], t["accountId"], t["wave"]) for t in experiment["trials"]] == [
        ("A", account["id"], 0),
        ("B", account["id"], 1),
    ]
    assert again.status_code == 409
