"""Collaborations over HTTP: three characters in one picture, each recognisably themselves (hair colour
measured from the pixels), captions naming all three, items in each member's feed; a member's deletion keeps
the collaboration and its items; an influencer id of another account is refused like a missing one."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from contracts.cleanup import InfluencerCleanupResult, influencer_cleanup_workflow_id
from tests.utils.factories import Tenant, connect_sandbox, create_influencer, create_profile
from tests.utils.group_pixels import column_colors
from tests.utils.polling import wait_for_batch
from tests.utils.stack import Stack

# Hair colours whose nearest analysis names are distinct, on neutral clothes in a neutral studio, so a
# figure's hair is the only place its colour name can come from.
MEMBERS = (("Rosa Vale", "red"), ("Bleu Marin", "blue"), ("Jade Moss", "green"))
NEUTRAL_WARDROBE = [
    {"name": "white linen shirt", "category": "top", "colors": ["white"]},
    {"name": "black trousers", "category": "bottom", "colors": ["black"]},
]


async def _trio(http: httpx.AsyncClient, tenant: Tenant) -> list[dict[str, Any]]:
    return [
        await create_influencer(
            http,
            tenant,
            name=name,
            basePrompt=f"woman, 27, {color} hair",
            ingredients={"wardrobe": NEUTRAL_WARDROBE},
        )
        for name, color in MEMBERS
    ]


async def _collaborate(http: httpx.AsyncClient, tenant: Tenant, body: dict[str, Any]) -> httpx.Response:
    return await http.post("/api/v1/collaborations", json=body, headers=tenant.headers)


async def test_three_characters_appear_together_each_with_their_own_hair(
    http: httpx.AsyncClient, tenant: Tenant
) -> None:
    members = await _trio(http, tenant)
    ids = [m["id"] for m in members]
    profile = await create_profile(http, tenant, ids[0])
    started = await _collaborate(
        http,
        tenant,
        {"name": "Studio day", "influencerIds": ids, "profileId": profile["id"], "count": 2,
         "setting": "photo studio", "timeOfDay": "afternoon", "mood": "calm"},
    )  # fmt: skip
    assert started.status_code == 202, started.text
    collaboration = started.json()
    assert collaboration["id"].startswith("col_")
    assert [m["id"] for m in collaboration["members"]] == ids
    assert all(m["exists"] for m in collaboration["members"])
    assert collaboration["counts"]["total"] == 2

    batch = await wait_for_batch(http, tenant, collaboration["batchId"])
    assert batch["kind"] == "collaboration"
    assert batch["status"] == "completed", batch
    done = (await http.get(f"/api/v1/collaborations/{collaboration['id']}", headers=tenant.headers)).json()
    assert done["status"] == "completed"
    assert done["counts"]["completed"] == 2
    assert len(done["contentIds"]) == 2

    for content_id in done["contentIds"]:
        item = (await http.get(f"/api/v1/content/{content_id}", headers=tenant.headers)).json()
        assert item["influencerIds"] == ids
        assert item["collaborationId"] == collaboration["id"]
        assert item["status"] == "pending_review"
        for name, _ in MEMBERS:
            assert name in item["caption"], item["caption"]
        assert len(item["plan"]["cast"]) == 3
        png = (await http.get(item["mediaUrl"])).content
        # The cast is in stage order from the viewer's left: column i shows cast member i.
        order = [next(m for m in MEMBERS if line.startswith(m[0])) for line in item["plan"]["cast"]]
        columns = column_colors(png, 3)
        for index, (name, color) in enumerate(order):
            own = columns[index][color]
            elsewhere = max(columns[j][color] for j in range(3) if j != index)
            assert own > 0.003, f"{name}'s {color} hair is missing from column {index}: {columns[index]}"
            # Hair adds to its own column what the backdrop (a blue studio wall, say) gives every column.
            assert own > elsewhere + 0.003, f"{name}'s {color} hair is not concentrated in their own column"

    # Regenerating would re-plan a one-person scene and drop members: refused, the item unchanged.
    refused = await http.post(f"/api/v1/content/{done['contentIds'][0]}/regenerate", headers=tenant.headers)
    assert refused.status_code == 409
    assert "collaboration" in refused.json()["error"]["message"]

    # Every member's content filter shows the items, not only the first member's.
    for influencer_id in ids:
        listed = await http.get("/api/v1/content", params={"influencerId": influencer_id}, headers=tenant.headers)
        assert {i["id"] for i in listed.json()["data"]} == set(done["contentIds"])
        mine = await http.get("/api/v1/collaborations", params={"influencerId": influencer_id}, headers=tenant.headers)
        assert [c["id"] for c in mine.json()["data"]] == [collaboration["id"]]


async def test_captions_name_members_by_their_handle_on_the_target_platform(
    http: httpx.AsyncClient, tenant: Tenant
) -> None:
    members = await _trio(http, tenant)
    ids = [m["id"] for m in members]
    target = await create_profile(http, tenant, ids[0], name="Rosa main")
    await connect_sandbox(http, tenant, target["id"])
    # The second member has a sandbox account of their own; the third has none and is named by name.
    second = await create_profile(http, tenant, ids[1], name="Bleu main")
    handle = (await connect_sandbox(http, tenant, second["id"]))["handle"]
    started = await _collaborate(
        http, tenant, {"name": "Handles", "influencerIds": ids, "profileId": target["id"], "count": 1}
    )
    batch = await wait_for_batch(http, tenant, started.json()["batchId"])
    assert batch["status"] == "completed", batch
    item = (await http.get(f"/api/v1/content/{batch['items'][0]['resultId']}", headers=tenant.headers)).json()
    assert f"@{handle}" in item["caption"]
    assert "Jade Moss" in item["caption"]


async def test_deleting_a_member_keeps_the_collaboration_and_its_items(
    http: httpx.AsyncClient, tenant: Tenant, stack: Stack
) -> None:
    members = await _trio(http, tenant)
    ids = [m["id"] for m in members[:2]]
    profile = await create_profile(http, tenant, ids[0])
    started = (
        await _collaborate(http, tenant, {"name": "Duo", "influencerIds": ids, "profileId": profile["id"], "count": 1})
    ).json()
    assert (await wait_for_batch(http, tenant, started["batchId"]))["status"] == "completed"

    # The first member is the one items are attributed to: the hardest case for the cleanup.
    assert (await http.delete(f"/api/v1/influencers/{ids[0]}", headers=tenant.headers)).status_code == 204
    cleanup_id = influencer_cleanup_workflow_id(ids[0])
    handle = stack.client.get_workflow_handle(cleanup_id, result_type=InfluencerCleanupResult)
    assert (await asyncio.wait_for(handle.result(), 60)).purged is True

    after = (await http.get(f"/api/v1/collaborations/{started['id']}", headers=tenant.headers)).json()
    assert [(m["id"], m["exists"]) for m in after["members"]] == [(ids[0], False), (ids[1], True)]
    assert after["members"][0]["name"] == MEMBERS[0][0]
    assert after["status"] == "completed"
    assert len(after["contentIds"]) == 1
    item = await http.get(f"/api/v1/content/{after['contentIds'][0]}", headers=tenant.headers)
    assert item.status_code == 200
    assert (await http.get(item.json()["mediaUrl"])).status_code == 200
    assert (await http.get(f"/api/v1/batches/{started['batchId']}", headers=tenant.headers)).status_code == 200


async def test_another_accounts_influencer_is_refused_like_a_missing_one(
    http: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    mine = await create_influencer(http, tenant, name="Mine")
    profile = await create_profile(http, tenant, mine["id"])
    theirs = await create_influencer(http, other_tenant, name="Theirs")
    answers = []
    for stranger in (theirs["id"], "inf_doesnotexist"):
        body = {"name": "Nope", "influencerIds": [mine["id"], stranger], "profileId": profile["id"]}
        response = await _collaborate(http, tenant, body)
        assert response.status_code == 422, response.text
        error = response.json()["error"]
        assert [d["field"] for d in error["details"]] == ["influencerIds"]
        answers.append((error["code"], error["message"].replace(stranger, "<id>"), error["details"][0]["message"]
                        .replace(stranger, "<id>")))  # fmt: skip
    assert answers[0] == answers[1]
    listed = await http.get("/api/v1/collaborations", headers=tenant.headers)
    assert listed.json()["data"] == []


async def test_cancel_and_usage_come_from_the_batch(http: httpx.AsyncClient, tenant: Tenant) -> None:
    members = await _trio(http, tenant)
    ids = [m["id"] for m in members[:2]]
    profile = await create_profile(http, tenant, ids[0])
    body = {"name": "Long", "influencerIds": ids, "profileId": profile["id"], "count": 20}
    started = (await _collaborate(http, tenant, body)).json()
    # Cancel once work is under way (as the content batch's cancel test does): some items made, most not.
    for _ in range(600):
        progress = (await http.get(f"/api/v1/batches/{started['batchId']}", headers=tenant.headers)).json()
        if progress["counts"]["completed"] >= 1:
            break
        await asyncio.sleep(0.05)
    cancel = await http.post(f"/api/v1/batches/{started['batchId']}/cancel", headers=tenant.headers)
    assert cancel.status_code == 202, cancel.text
    batch = await wait_for_batch(http, tenant, started["batchId"])
    assert batch["status"] == "cancelled"
    after = (await http.get(f"/api/v1/collaborations/{started['id']}", headers=tenant.headers)).json()
    assert after["status"] == "cancelled"
    made = after["counts"]["completed"]
    assert 1 <= made < 20 and after["counts"]["failed"] == 0
    assert made + after["counts"]["cancelled"] == 20
    assert len(after["contentIds"]) == made
    # The usage ledger is the batch's: one image and one caption charged per item made; beyond those, at most
    # the items that were in flight (4 per chunk) when the batch settled, as for any content batch. Items
    # never started cost nothing.
    usage = (await http.get("/api/v1/usage", headers=tenant.headers)).json()
    counts = {day["action"]: day["count"] for day in usage["days"]}
    assert made <= counts.get("image_generation", 0) <= made + 4
    assert made <= counts.get("caption_generation", 0) <= made + 4
