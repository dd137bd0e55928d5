"""POST/GET /collaborations: what a valid request makes, every refusal (a 422 naming its field, nothing
written), the list's filter and pages."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.utils.factories import Tenant, create_influencer, create_profile


@pytest.fixture
async def cast(http: httpx.AsyncClient, tenant: Tenant) -> dict[str, Any]:
    influencers = [await create_influencer(http, tenant, name=name) for name in ("Ana", "Ben", "Cleo", "Dov", "Eve")]
    profile = await create_profile(http, tenant, influencers[0]["id"])
    names = ["Ana", "Ben", "Cleo", "Dov", "Eve"]
    return {"ids": [i["id"] for i in influencers], "names": names, "profile": profile["id"]}


async def _post(http: httpx.AsyncClient, tenant: Tenant, body: dict[str, Any]) -> httpx.Response:
    return await http.post("/api/v1/collaborations", json=body, headers=tenant.headers)


async def _nothing_written(http: httpx.AsyncClient, tenant: Tenant) -> None:
    assert (await http.get("/api/v1/collaborations", headers=tenant.headers)).json()["data"] == []
    batches = (await http.get("/api/v1/batches", headers=tenant.headers)).json()["data"]
    assert [b for b in batches if b["kind"] == "collaboration"] == []


async def test_create_answers_202_with_members_batch_and_options(
    http: httpx.AsyncClient, tenant: Tenant, cast: dict[str, Any]
) -> None:
    body = {
        "name": "Rooftop trio",
        "influencerIds": cast["ids"][:3],
        "profileId": cast["profile"],
        "scene": "sharing a pizza",
        "mood": "playful",
        "setting": "rooftop terrace",
        "timeOfDay": "evening",
        "count": 2,
    }
    response = await _post(http, tenant, body)
    assert response.status_code == 202, response.text
    out = response.json()
    assert out["id"].startswith("col_")
    assert out["name"] == "Rooftop trio"
    expected = zip(cast["ids"][:3], cast["names"][:3], strict=True)
    assert out["members"] == [{"id": i, "name": n, "exists": True} for i, n in expected]
    assert (out["scene"], out["mood"], out["setting"], out["timeOfDay"]) == (
        "sharing a pizza", "playful", "rooftop terrace", "evening"
    )  # fmt: skip
    assert out["counts"]["total"] == 2
    assert out["status"] in ("queued", "running", "completed")
    batch = (await http.get(f"/api/v1/batches/{out['batchId']}", headers=tenant.headers)).json()
    assert batch["kind"] == "collaboration"
    # The batch is about every member, so it names no single influencer; its params carry the members.
    assert batch["influencerId"] is None
    assert batch["params"]["memberIds"] == cast["ids"][:3]
    assert batch["params"]["collaborationId"] == out["id"]
    got = (await http.get(f"/api/v1/collaborations/{out['id']}", headers=tenant.headers)).json()
    assert got["id"] == out["id"] and got["batchId"] == out["batchId"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"influencerIds": "one"}, "influencerIds"),
        ({"influencerIds": "five"}, "influencerIds"),
        ({"influencerIds": "repeat"}, "influencerIds"),
        ({"count": 0}, "count"),
        ({"count": 21}, "count"),
        ({"name": ""}, "name"),
        ({"timeOfDay": "noonish"}, "timeOfDay"),
        ({"profileId": "prof_missing"}, "profileId"),
        ({"influencerIds": "missing"}, "influencerIds"),
        ({"unexpected": 1}, "unexpected"),
    ],
)
async def test_bad_input_is_a_422_naming_the_field_and_writes_nothing(
    http: httpx.AsyncClient, tenant: Tenant, cast: dict[str, Any], change: dict[str, Any], field: str
) -> None:
    ids = cast["ids"]
    special = {
        "one": ids[:1],
        "five": ids[:5],
        "repeat": [ids[0], ids[1], ids[0]],
        "missing": [ids[0], "inf_missing"],
    }
    body: dict[str, Any] = {"name": "Pair", "influencerIds": ids[:2], "profileId": cast["profile"]}
    for key, value in change.items():
        body[key] = special.get(value, value) if isinstance(value, str) else value
    response = await _post(http, tenant, body)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert field in {d["field"].split(".")[0] for d in error["details"]}, error
    await _nothing_written(http, tenant)


async def test_a_deleted_member_is_refused_like_a_missing_one(
    http: httpx.AsyncClient, tenant: Tenant, cast: dict[str, Any]
) -> None:
    gone = cast["ids"][1]
    assert (await http.delete(f"/api/v1/influencers/{gone}", headers=tenant.headers)).status_code == 204
    body = {"name": "Pair", "influencerIds": cast["ids"][:2], "profileId": cast["profile"]}
    response = await _post(http, tenant, body)
    assert response.status_code == 422
    assert response.json()["error"]["details"] == [{"field": "influencerIds", "message": f"{gone} not found"}]
    await _nothing_written(http, tenant)


async def test_list_filters_by_member_and_pages(http: httpx.AsyncClient, tenant: Tenant, cast: dict[str, Any]) -> None:
    ids = cast["ids"]
    made = []
    for members in ([ids[0], ids[1]], [ids[1], ids[2]], [ids[2], ids[3], ids[4]]):
        response = await _post(
            http, tenant, {"name": "x", "influencerIds": members, "profileId": cast["profile"], "count": 1}
        )
        made.append(response.json()["id"])

    async def listed(**params: Any) -> dict[str, Any]:
        response = await http.get("/api/v1/collaborations", params=params, headers=tenant.headers)
        assert response.status_code == 200, response.text
        data: dict[str, Any] = response.json()
        return data

    assert {c["id"] for c in (await listed(influencerId=ids[1]))["data"]} == {made[0], made[1]}
    assert [c["id"] for c in (await listed(influencerId=ids[4]))["data"]] == [made[2]]
    first = await listed(limit=2)
    assert [c["id"] for c in first["data"]] == [made[2], made[1]]
    second = await listed(limit=2, cursor=first["nextCursor"])
    assert [c["id"] for c in second["data"]] == [made[0]]
    assert second["nextCursor"] is None
