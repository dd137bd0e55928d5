"""The heart of the product over HTTP on a real Temporal server: generate a batch, review it, regenerate
and fine-tune, with the images being real PNGs."""

from __future__ import annotations

import io

import httpx
from PIL import Image

from tests.utils.factories import Tenant, create_influencer, create_profile
from tests.utils.polling import wait_for_batch, wait_for_job

INGREDIENTS = {
    "wardrobe": [
        {"name": "red linen jacket", "category": "outerwear", "colors": ["red"]},
        {"name": "white sneakers", "category": "shoes", "colors": ["white"]},
    ],
    "settings": ["Paris cafe", "Seine riverbank"],
    "moods": ["relaxed", "creative"],
    "props": ["film camera"],
}


async def _generate(http: httpx.AsyncClient, tenant: Tenant, count: int) -> tuple[dict, dict]:
    influencer = await create_influencer(http, tenant, ingredients=INGREDIENTS, aestheticGrade="film_35mm")
    profile = await create_profile(
        http, tenant, influencer["id"], contentDirections=[{"title": "Slow mornings", "moods": ["relaxed"]}]
    )
    response = await http.post(
        "/api/v1/content/generate", json={"profileId": profile["id"], "count": count}, headers=tenant.headers
    )
    assert response.status_code == 202, response.text
    return response.json(), profile


async def test_batch_of_five_then_review_regenerate_and_fine_tune(http: httpx.AsyncClient, tenant: Tenant) -> None:
    started, profile = await _generate(http, tenant, 5)
    assert started["status"] in ("queued", "running")
    assert started["workflowId"] == f"batch-{started['id']}"
    batch = await wait_for_batch(http, tenant, started["id"])
    assert batch["status"] == "completed"
    assert batch["counts"]["completed"] == 5
    assert batch["finishedAt"] is not None

    listing = await http.get("/api/v1/content", params={"batchId": batch["id"], "limit": 10}, headers=tenant.headers)
    items = listing.json()["data"]
    assert len(items) == 5
    assert {item["status"] for item in items} == {"pending_review"}
    digests = set()
    for item in items:
        assert item["caption"]
        assert item["profileId"] == profile["id"]
        image = await http.get(item["mediaUrl"])
        assert image.status_code == 200
        assert image.headers["content-type"] == "image/png"
        with Image.open(io.BytesIO(image.content)) as png:
            assert png.format == "PNG"
            assert png.size[0] >= 1024 and png.size[1] >= 1024
        digests.add(image.content)
    assert len(digests) == 5  # every item is its own picture

    first, second, third, fourth = (item["id"] for item in items[:4])
    approved = await http.post(f"/api/v1/content/{first}/approve", headers=tenant.headers)
    assert approved.json()["status"] == "approved"
    rejected = await http.post(f"/api/v1/content/{second}/reject", json={"reason": "off-brand"}, headers=tenant.headers)
    assert rejected.json()["status"] == "rejected"

    before = next(item for item in items if item["id"] == third)
    regenerated = await http.post(f"/api/v1/content/{third}/regenerate", headers=tenant.headers)
    assert regenerated.status_code in (200, 202), regenerated.text
    if regenerated.status_code == 202:
        await wait_for_job(http, tenant, regenerated.headers["x-job-id"])
    after = (await http.get(f"/api/v1/content/{third}", headers=tenant.headers)).json()
    assert after["status"] == "pending_review"
    assert after["revision"] == 1
    assert after["mediaUrl"] != before["mediaUrl"]
    assert after["history"][0]["mediaUrl"] == before["mediaUrl"]
    assert after["history"][0]["caption"] == before["caption"]

    old_caption = next(item for item in items if item["id"] == fourth)["caption"]
    tuned = await http.post(
        f"/api/v1/content/{fourth}/fine-tune-caption",
        json={"instruction": "shorter, add a question"},
        headers=tenant.headers,
    )
    assert tuned.status_code in (200, 202), tuned.text
    if tuned.status_code == 202:
        await wait_for_job(http, tenant, tuned.headers["x-job-id"])
    tuned_item = (await http.get(f"/api/v1/content/{fourth}", headers=tenant.headers)).json()
    assert tuned_item["caption"] != old_caption
    assert tuned_item["mediaUrl"] == next(item for item in items if item["id"] == fourth)["mediaUrl"]
    assert tuned_item["history"][-1]["caption"] == old_caption

    usage = (await http.get("/api/v1/usage", headers=tenant.headers)).json()
    assert usage["byAction"]["image_generation"] == "0.2400" or float(usage["byAction"]["image_generation"]) > 0


async def test_regenerating_rejected_is_allowed_but_generating_is_409(http: httpx.AsyncClient, tenant: Tenant) -> None:
    started, _ = await _generate(http, tenant, 1)
    batch = await wait_for_batch(http, tenant, started["id"])
    content_id = batch["items"][0]["resultId"]
    approve_twice = await http.post(f"/api/v1/content/{content_id}/approve", headers=tenant.headers)
    assert approve_twice.status_code == 200
    again = await http.post(f"/api/v1/content/{content_id}/approve", headers=tenant.headers)
    assert again.status_code == 409
    assert "approved" in again.json()["error"]["message"]


async def test_generate_validates_profile_and_count(
    http: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    too_many = await http.post(
        "/api/v1/content/generate", json={"profileId": "prof_x", "count": 101}, headers=tenant.headers
    )
    assert too_many.status_code == 422
    assert too_many.json()["error"]["details"][0]["field"] == "count"
    influencer = await create_influencer(http, other_tenant)
    foreign = await create_profile(http, other_tenant, influencer["id"])
    response = await http.post(
        "/api/v1/content/generate", json={"profileId": foreign["id"], "count": 1}, headers=tenant.headers
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "profileId"
    batches = (await http.get("/api/v1/batches", headers=tenant.headers)).json()["data"]
    assert batches == []
