"""Profiles, connected accounts and config endpoints."""

from __future__ import annotations

import httpx

from tests.utils.factories import Tenant, connect_sandbox, create_influencer, create_profile


class TestProfiles:
    async def test_ai_profile_needs_an_influencer_of_the_account(
        self, http: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant
    ) -> None:
        missing = await http.post(
            "/api/v1/profiles", json={"name": "P", "type": "ai_influencer"}, headers=tenant.headers
        )
        assert missing.status_code == 422
        assert missing.json()["error"]["details"][0]["field"] == "influencerId"
        foreign = await create_influencer(http, other_tenant)
        response = await http.post(
            "/api/v1/profiles",
            json={"name": "P", "type": "ai_influencer", "influencerId": foreign["id"]},
            headers=tenant.headers,
        )
        assert response.status_code == 422

    async def test_profile_shows_its_directions_and_connected_accounts(
        self, http: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        influencer = await create_influencer(http, tenant)
        profile = await create_profile(
            http,
            tenant,
            influencer["id"],
            contentDirections=[{"title": "Morning coffee", "moods": ["relaxed"], "settings": ["cafe"]}],
        )
        account = await connect_sandbox(http, tenant, profile["id"])
        fetched = (await http.get(f"/api/v1/profiles/{profile['id']}", headers=tenant.headers)).json()
        assert fetched["contentDirections"][0]["title"] == "Morning coffee"
        assert fetched["contentDirections"][0]["id"].startswith("cdir_")
        assert [a["id"] for a in fetched["connectedAccounts"]] == [account["id"]]
        assert fetched["timezone"] == "Europe/Paris"

    async def test_bad_timezone_is_422(self, http: httpx.AsyncClient, tenant: Tenant) -> None:
        response = await http.post(
            "/api/v1/profiles",
            json={"name": "P", "type": "managed", "timezone": "Mars/Olympus"},
            headers=tenant.headers,
        )
        assert response.status_code == 422
        assert response.json()["error"]["details"][0]["field"] == "timezone"

    async def test_update_and_delete(self, http: httpx.AsyncClient, tenant: Tenant) -> None:
        created = (
            await http.post("/api/v1/profiles", json={"name": "P", "type": "managed"}, headers=tenant.headers)
        ).json()
        updated = await http.put(f"/api/v1/profiles/{created['id']}", json={"name": "Q"}, headers=tenant.headers)
        assert updated.json()["name"] == "Q"
        assert updated.json()["type"] == "managed"
        assert (await http.delete(f"/api/v1/profiles/{created['id']}", headers=tenant.headers)).status_code == 204
        assert (await http.get(f"/api/v1/profiles/{created['id']}", headers=tenant.headers)).status_code == 404

    async def test_filter_by_type(self, http: httpx.AsyncClient, tenant: Tenant) -> None:
        influencer = await create_influencer(http, tenant)
        await create_profile(http, tenant, influencer["id"])
        await http.post("/api/v1/profiles", json={"name": "Real", "type": "managed"}, headers=tenant.headers)
        managed = (await http.get("/api/v1/profiles", params={"type": "managed"}, headers=tenant.headers)).json()
        assert [p["name"] for p in managed["data"]] == ["Real"]


class TestAccounts:
    async def test_connect_list_filter_disconnect(self, http: httpx.AsyncClient, tenant: Tenant) -> None:
        influencer = await create_influencer(http, tenant)
        profile = await create_profile(http, tenant, influencer["id"])
        attached = await connect_sandbox(http, tenant, profile["id"])
        loose = await connect_sandbox(http, tenant, None)
        assert attached["platform"] == "sandbox"
        assert attached["status"] == "active"
        for_profile = await http.get("/api/v1/accounts", params={"profileId": profile["id"]}, headers=tenant.headers)
        assert [a["id"] for a in for_profile.json()["data"]] == [attached["id"]]
        response = await http.delete(f"/api/v1/accounts/{loose['id']}", headers=tenant.headers)
        assert response.status_code == 204
        remaining = (await http.get("/api/v1/accounts", headers=tenant.headers)).json()["data"]
        assert [a["id"] for a in remaining] == [attached["id"]]

    async def test_attach_and_detach_an_account(self, http: httpx.AsyncClient, tenant: Tenant) -> None:
        influencer = await create_influencer(http, tenant)
        profile = await create_profile(http, tenant, influencer["id"])
        account = await connect_sandbox(http, tenant, None)
        attached = await http.patch(
            f"/api/v1/accounts/{account['id']}", json={"profileId": profile["id"]}, headers=tenant.headers
        )
        assert attached.json()["profileId"] == profile["id"]
        detached = await http.patch(
            f"/api/v1/accounts/{account['id']}", json={"profileId": None}, headers=tenant.headers
        )
        assert detached.json()["profileId"] is None
        empty = await http.post(
            "/api/v1/accounts", json={"platform": "sandbox", "handle": "x", "profileId": ""}, headers=tenant.headers
        )
        assert empty.status_code == 422
        assert empty.json()["error"]["details"][0]["field"] == "profileId"

    async def test_oauth_platforms_cannot_be_connected_directly(self, http: httpx.AsyncClient, tenant: Tenant) -> None:
        response = await http.post("/api/v1/accounts", json={"platform": "x", "handle": "mia"}, headers=tenant.headers)
        assert response.status_code == 422
        assert response.json()["error"]["details"][0]["field"] == "platform"


class TestConfig:
    async def test_exactly_ten_grades_with_grading_parameters(self, http: httpx.AsyncClient, tenant: Tenant) -> None:
        grades = (await http.get("/api/v1/config/aesthetic-grades", headers=tenant.headers)).json()["data"]
        assert len(grades) == 10
        assert len({g["id"] for g in grades}) == 10
        for grade in grades:
            assert grade["promptModifiers"]
            assert {"brightness", "contrast", "saturation", "temperature"} <= set(grade["colorGrading"])

    async def test_features_and_pricing(self, http: httpx.AsyncClient, tenant: Tenant) -> None:
        features = (await http.get("/api/v1/config/features", headers=tenant.headers)).json()["features"]
        assert features["instagramImport"] is False
        assert features["sandboxPublishing"] is True
        pricing = (await http.get("/api/v1/config/pricing", headers=tenant.headers)).json()
        actions = {rate["action"]: rate for rate in pricing["rates"]}
        assert {"image_generation", "video_generation", "caption_generation"} <= set(actions)
        assert float(actions["image_generation"]["price"]) > 0


async def test_health_and_readiness(http: httpx.AsyncClient) -> None:
    assert (await http.get("/healthz")).json()["status"] == "ok"
    ready = await http.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": True, "temporal": True}
