"""Reference packs, previews, and the short jobs (wardrobe, photo analysis, content directions)."""

from __future__ import annotations

import io

import httpx
from PIL import Image

from tests.api.test_influencers import png_bytes
from tests.utils.factories import Tenant, create_influencer, create_profile
from tests.utils.polling import wait_for_batch, wait_for_job


def _pixels(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data)).convert("RGB").resize((64, 64))


async def test_reference_pack_has_four_views_that_belong_together(http: httpx.AsyncClient, tenant: Tenant) -> None:
    influencer = await create_influencer(http, tenant, basePrompt="woman, 28, long black hair, green coat")
    started = await http.post(f"/api/v1/influencers/{influencer['id']}/generate-references", headers=tenant.headers)
    assert started.status_code == 202
    assert started.json()["kind"] == "references"
    batch = await wait_for_batch(http, tenant, started.json()["id"])
    assert batch["status"] == "completed"
    refreshed = (await http.get(f"/api/v1/influencers/{influencer['id']}", headers=tenant.headers)).json()
    refs = {ref["view"]: ref for ref in refreshed["referenceImages"]}
    assert set(refs) == {"front", "three_quarter", "profile", "back"}
    assert {ref["source"] for ref in refs.values()} == {"generated"}
    images = {view: (await http.get(ref["url"])).content for view, ref in refs.items()}
    assert len(set(images.values())) == 4  # four different views, not one image four times


async def test_previews_list_and_adopt(http: httpx.AsyncClient, tenant: Tenant) -> None:
    influencer = await create_influencer(http, tenant)
    started = await http.post(
        f"/api/v1/influencers/{influencer['id']}/previews",
        json={"count": 3, "aestheticGrade": "moody_noir"},
        headers=tenant.headers,
    )
    assert started.status_code == 202
    await wait_for_batch(http, tenant, started.json()["id"])
    previews = (await http.get(f"/api/v1/influencers/{influencer['id']}/previews", headers=tenant.headers)).json()
    assert len(previews["data"]) == 3
    assert len({p["seed"] for p in previews["data"]}) == 3
    chosen = previews["data"][1]
    one = await http.get(f"/api/v1/previews/{chosen['id']}", headers=tenant.headers)
    assert one.json()["mediaUrl"] == chosen["mediaUrl"]
    adopted = await http.post(f"/api/v1/previews/{chosen['id']}/adopt", headers=tenant.headers)
    assert adopted.status_code == 200
    body = adopted.json()
    assert body["aestheticGrade"] == "moody_noir"
    front = next(ref for ref in body["referenceImages"] if ref["view"] == "front")
    assert (await http.get(front["url"])).content == (await http.get(chosen["mediaUrl"])).content


async def test_wardrobe_generation_adds_items_to_the_library(http: httpx.AsyncClient, tenant: Tenant) -> None:
    influencer = await create_influencer(http, tenant, basePrompt="athletic runner in navy and orange gear")
    response = await http.post(
        f"/api/v1/characters/{influencer['id']}/wardrobe/generate", json={"count": 4}, headers=tenant.headers
    )
    assert response.status_code in (200, 202), response.text
    job = response.json() if response.status_code == 200 else await wait_for_job(http, tenant, response.json()["id"])
    assert job["status"] == "completed"
    names = [item["name"] for item in job["result"]["items"]]
    assert len(names) == 4
    library = (await http.get(f"/api/v1/influencers/{influencer['id']}", headers=tenant.headers)).json()
    assert [w["name"] for w in library["ingredients"]["wardrobe"]] == names


async def test_photo_analysis_reads_the_pixels(http: httpx.AsyncClient, tenant: Tenant) -> None:
    response = await http.post(
        "/api/v1/characters/analyze-photos",
        files=[("files", ("red.png", png_bytes((230, 20, 20), (300, 500)), "image/png"))],
        headers=tenant.headers,
    )
    assert response.status_code in (200, 202), response.text
    job = response.json() if response.status_code == 200 else await wait_for_job(http, tenant, response.json()["id"])
    assert job["status"] == "completed", job
    photo = job["result"]["photos"][0]
    assert photo["orientation"] == "portrait"
    assert photo["width"] == 300 and photo["height"] == 500
    assert job["result"]["basePrompt"]
    assert job["result"]["wardrobeSuggestions"]


async def test_photo_analysis_refuses_non_images(http: httpx.AsyncClient, tenant: Tenant) -> None:
    response = await http.post(
        "/api/v1/characters/analyze-photos", files=[("files", ("x.png", b"text", "image/png"))], headers=tenant.headers
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "files.0"


async def test_content_directions_draft_and_save(http: httpx.AsyncClient, tenant: Tenant) -> None:
    influencer = await create_influencer(http, tenant)
    profile = await create_profile(http, tenant, influencer["id"])
    response = await http.post(
        f"/api/v1/profiles/{profile['id']}/content-directions/draft",
        json={"prompt": "sustainable fashion on a budget in Lisbon", "count": 3, "save": True},
        headers=tenant.headers,
    )
    assert response.status_code in (200, 202), response.text
    job = response.json() if response.status_code == 200 else await wait_for_job(http, tenant, response.json()["id"])
    drafts = job["result"]["directions"]
    assert len(drafts) == 3
    saved = (await http.get(f"/api/v1/profiles/{profile['id']}", headers=tenant.headers)).json()
    assert [d["id"] for d in saved["contentDirections"]] == [d["id"] for d in drafts]


async def test_jobs_of_other_accounts_are_404(http: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant) -> None:
    influencer = await create_influencer(http, tenant)
    response = await http.post(
        f"/api/v1/characters/{influencer['id']}/wardrobe/generate", json={"count": 2}, headers=tenant.headers
    )
    job_id = response.json()["id"]
    assert (await http.get(f"/api/v1/jobs/{job_id}", headers=other_tenant.headers)).status_code == 404
    assert (await http.get(f"/api/v1/jobs/{job_id}", headers=tenant.headers)).status_code == 200
