"""Influencer endpoints over real HTTP, on each database backend."""

from __future__ import annotations

import io

import httpx
from PIL import Image

from tests.utils.factories import Tenant, create_influencer


def png_bytes(color: tuple[int, int, int], size: tuple[int, int] = (64, 64)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


class TestCreateInfluencer:
    async def test_created_influencer_reads_back_in_camel_case(self, http: httpx.AsyncClient, tenant: Tenant) -> None:
        created = await create_influencer(http, tenant, aestheticGrade="film_35mm", ingredients={"moods": ["calm"]})
        assert created["id"].startswith("inf_")
        response = await http.get(f"/api/v1/influencers/{created['id']}", headers=tenant.headers)
        assert response.status_code == 200
        body = response.json()
        assert body["aestheticGrade"] == "film_35mm"
        assert body["basePrompt"] == "woman, 25, auburn hair"
        assert body["ingredients"]["moods"] == ["calm"]

    async def test_unknown_grade_is_422_naming_the_field(self, http: httpx.AsyncClient, tenant: Tenant) -> None:
        response = await http.post(
            "/api/v1/influencers", json={"name": "X", "aestheticGrade": "sepia_dream"}, headers=tenant.headers
        )
        assert response.status_code == 422
        error = response.json()["error"]
        assert error["code"] == "validation_error"
        assert [d["field"] for d in error["details"]] == ["aestheticGrade"]

    async def test_bad_input_leaves_nothing_behind(self, http: httpx.AsyncClient, tenant: Tenant) -> None:
        response = await http.post("/api/v1/influencers", json={"name": ""}, headers=tenant.headers)
        assert response.status_code == 422
        listing = await http.get("/api/v1/influencers", headers=tenant.headers)
        assert listing.json()["data"] == []


class TestListInfluencers:
    async def test_pages_with_cursor_cover_every_item_once(self, http: httpx.AsyncClient, tenant: Tenant) -> None:
        ids = {(await create_influencer(http, tenant, name=f"I{i}"))["id"] for i in range(5)}
        seen: list[str] = []
        cursor = None
        while True:
            params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
            page = (await http.get("/api/v1/influencers", params=params, headers=tenant.headers)).json()
            assert len(page["data"]) <= 2
            seen += [item["id"] for item in page["data"]]
            cursor = page["nextCursor"]
            if cursor is None:
                break
        assert sorted(seen) == sorted(ids)

    async def test_garbage_cursor_is_422(self, http: httpx.AsyncClient, tenant: Tenant) -> None:
        response = await http.get("/api/v1/influencers", params={"cursor": "!!!"}, headers=tenant.headers)
        assert response.status_code == 422
        assert response.json()["error"]["details"][0]["field"] == "cursor"


class TestUpdateInfluencer:
    async def test_put_changes_only_given_fields(self, http: httpx.AsyncClient, tenant: Tenant) -> None:
        created = await create_influencer(http, tenant, bio="old bio")
        response = await http.put(
            f"/api/v1/influencers/{created['id']}", json={"name": "Renamed"}, headers=tenant.headers
        )
        assert response.status_code == 200
        assert response.json()["name"] == "Renamed"
        assert response.json()["bio"] == "old bio"

    async def test_put_changes_multi_word_fields(self, http: httpx.AsyncClient, tenant: Tenant) -> None:
        created = await create_influencer(http, tenant)
        response = await http.put(
            f"/api/v1/influencers/{created['id']}",
            json={
                "basePrompt": "man, 40, grey beard",
                "aestheticGrade": "moody_noir",
                "appearance": {"skinTone": "olive"},
            },
            headers=tenant.headers,
        )
        assert response.status_code == 200
        fetched = (await http.get(f"/api/v1/influencers/{created['id']}", headers=tenant.headers)).json()
        assert fetched["basePrompt"] == "man, 40, grey beard"
        assert fetched["aestheticGrade"] == "moody_noir"
        assert fetched["appearance"]["skinTone"] == "olive"

    async def test_patch_ingredients_keeps_siblings(self, http: httpx.AsyncClient, tenant: Tenant) -> None:
        created = await create_influencer(
            http, tenant, ingredients={"moods": ["calm"], "settings": ["Paris cafe"], "props": ["camera"]}
        )
        wardrobe = [{"name": "red linen jacket", "category": "outerwear", "colors": ["red"]}]
        response = await http.patch(
            f"/api/v1/characters/{created['id']}/ingredients",
            json={"wardrobe": wardrobe, "moods": ["energetic"]},
            headers=tenant.headers,
        )
        assert response.status_code == 200
        ingredients = response.json()["ingredients"]
        assert ingredients["moods"] == ["energetic"]
        assert ingredients["settings"] == ["Paris cafe"]
        assert ingredients["props"] == ["camera"]
        assert ingredients["wardrobe"][0]["name"] == "red linen jacket"


class TestReferences:
    async def test_upload_sets_views_and_serves_the_bytes(self, http: httpx.AsyncClient, tenant: Tenant) -> None:
        created = await create_influencer(http, tenant)
        front, back = png_bytes((255, 0, 0)), png_bytes((0, 0, 255))
        response = await http.post(
            f"/api/v1/influencers/{created['id']}/references",
            files=[("files", ("f.png", front, "image/png")), ("files", ("b.png", back, "image/png"))],
            data={"views": ["front", "back"]},
            headers=tenant.headers,
        )
        assert response.status_code == 200, response.text
        refs = {ref["view"]: ref for ref in response.json()["referenceImages"]}
        assert set(refs) == {"front", "back"}
        served = await http.get(refs["front"]["url"])
        assert served.status_code == 200
        assert served.content == front

    async def test_by_url_fetches_the_image(self, http: httpx.AsyncClient, tenant: Tenant) -> None:
        created = await create_influencer(http, tenant)
        upload = await http.post(
            f"/api/v1/influencers/{created['id']}/references",
            files=[("files", ("f.png", png_bytes((0, 200, 0)), "image/png"))],
            data={"views": ["front"]},
            headers=tenant.headers,
        )
        source_url = upload.json()["referenceImages"][0]["url"]
        response = await http.post(
            f"/api/v1/influencers/{created['id']}/references",
            json={"references": [{"view": "profile", "url": source_url}]},
            headers=tenant.headers,
        )
        assert response.status_code == 200, response.text
        views = {ref["view"]: ref for ref in response.json()["referenceImages"]}
        assert views["profile"]["source"] == "url"
        assert views["profile"]["sourceUrl"] == source_url
        assert "front" in views

    async def test_non_image_upload_is_422_and_changes_nothing(self, http: httpx.AsyncClient, tenant: Tenant) -> None:
        created = await create_influencer(http, tenant)
        response = await http.post(
            f"/api/v1/influencers/{created['id']}/references",
            files=[("files", ("x.png", b"not an image", "image/png"))],
            data={"views": ["front"]},
            headers=tenant.headers,
        )
        assert response.status_code == 422
        assert response.json()["error"]["details"][0]["field"] == "files.0"
        again = await http.get(f"/api/v1/influencers/{created['id']}", headers=tenant.headers)
        assert again.json()["referenceImages"] == []
