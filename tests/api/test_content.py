"""Content lifecycle endpoints and usage over real HTTP, on each database backend."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest

from api.content import service as content_service
from core.errors import Conflict
from domain.pricing import BillableAction
from store.db import transaction
from store.repositories.content import ContentRepository
from store.repositories.usage import UsageRepository
from tests.api.test_influencers import png_bytes
from tests.utils.factories import Tenant, create_influencer, create_profile
from tests.utils.stack import Stack


async def upload_content(
    http: httpx.AsyncClient,
    tenant: Tenant,
    profile_id: str,
    *,
    image: bytes | None = None,
    caption: str = "Golden hour on the Seine",
    hashtags: list[str] | None = None,
) -> dict[str, Any]:
    data: dict[str, Any] = {"caption": caption, "profileId": profile_id}
    if hashtags is not None:
        data["hashtags"] = hashtags
    response = await http.post(
        "/api/v1/content",
        files={"file": ("photo.png", image or png_bytes((200, 120, 40)), "image/png")},
        data=data,
        headers=tenant.headers,
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def ai_profile(http: httpx.AsyncClient, tenant: Tenant) -> tuple[str, str]:
    """(influencer id, profile id) of a fresh AI influencer profile."""
    influencer = await create_influencer(http, tenant)
    profile = await create_profile(http, tenant, influencer["id"])
    return influencer["id"], profile["id"]


async def managed_profile(http: httpx.AsyncClient, tenant: Tenant) -> str:
    response = await http.post(
        "/api/v1/profiles", json={"name": "Real person", "type": "managed"}, headers=tenant.headers
    )
    assert response.status_code == 201, response.text
    profile_id: str = response.json()["id"]
    return profile_id


def error_fields(response: httpx.Response) -> set[str]:
    return {detail["field"] for detail in response.json()["error"]["details"]}


async def list_ids(http: httpx.AsyncClient, tenant: Tenant, **params: Any) -> list[str]:
    response = await http.get("/api/v1/content", params=params, headers=tenant.headers)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["data"]]


async def set_status(stack: Stack, content_id: str, status: str) -> None:
    """Put an item in a status no endpoint of this module leads to (workflows do, elsewhere)."""
    async with transaction(stack.sessions) as session:
        repository = ContentRepository(session)
        item = await repository.get_any(content_id)
        assert item is not None
        item.status = status
        await repository.save(item)


class TestUploadContent:
    async def test_manual_upload_enters_review_and_serves_the_same_bytes(
        self, http: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        influencer_id, profile_id = await ai_profile(http, tenant)
        image = png_bytes((10, 140, 220), size=(80, 48))
        created = await upload_content(
            http, tenant, profile_id, image=image, caption="Morning light", hashtags=["paris, #sunset", "coffee"]
        )
        assert created["id"].startswith("cnt_")
        assert created["status"] == "pending_review"
        assert created["source"] == "manual"
        assert created["profileId"] == profile_id
        assert created["influencerId"] == influencer_id
        assert created["caption"] == "Morning light"
        assert created["hashtags"] == ["paris", "sunset", "coffee"]
        assert (created["mediaType"], created["width"], created["height"]) == ("image/png", 80, 48)
        assert (created["revision"], created["history"]) == (0, [])
        served = await http.get(created["mediaUrl"])
        assert served.status_code == 200
        assert served.content == image
        read = await http.get(f"/api/v1/content/{created['id']}", headers=tenant.headers)
        assert read.status_code == 200
        assert read.json() == created

    async def test_managed_profile_content_has_no_influencer(self, http: httpx.AsyncClient, tenant: Tenant) -> None:
        profile_id = await managed_profile(http, tenant)
        created = await upload_content(http, tenant, profile_id)
        assert created["profileId"] == profile_id
        assert created["influencerId"] is None

    async def test_non_image_file_is_422_on_file_and_leaves_nothing(
        self, http: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        _, profile_id = await ai_profile(http, tenant)
        response = await http.post(
            "/api/v1/content",
            files={"file": ("notes.png", b"this is not an image", "image/png")},
            data={"caption": "x", "profileId": profile_id},
            headers=tenant.headers,
        )
        assert response.status_code == 422, response.text
        assert error_fields(response) == {"file"}
        assert await list_ids(http, tenant) == []

    async def test_unknown_or_foreign_profile_is_422_on_profile_id(
        self, http: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant
    ) -> None:
        _, theirs = await ai_profile(http, other_tenant)
        for profile_id in ("prof_doesnotexist", theirs):
            response = await http.post(
                "/api/v1/content",
                files={"file": ("p.png", png_bytes((1, 2, 3)), "image/png")},
                data={"caption": "x", "profileId": profile_id},
                headers=tenant.headers,
            )
            assert response.status_code == 422, response.text
            assert error_fields(response) == {"profileId"}
        assert await list_ids(http, tenant) == []

    async def test_missing_fields_are_named_together(self, http: httpx.AsyncClient, tenant: Tenant) -> None:
        response = await http.post(
            "/api/v1/content", files={"other": ("x.txt", b"x", "text/plain")}, headers=tenant.headers
        )
        assert response.status_code == 422, response.text
        assert error_fields(response) == {"file", "caption", "profileId"}

    async def test_too_long_caption_and_bad_hashtag_are_422(self, http: httpx.AsyncClient, tenant: Tenant) -> None:
        _, profile_id = await ai_profile(http, tenant)
        response = await http.post(
            "/api/v1/content",
            files={"file": ("p.png", png_bytes((1, 2, 3)), "image/png")},
            data={"caption": "x" * 2201, "profileId": profile_id, "hashtags": ["two words"]},
            headers=tenant.headers,
        )
        assert response.status_code == 422, response.text
        assert error_fields(response) == {"caption", "hashtags.0"}

    async def test_json_body_is_415(self, http: httpx.AsyncClient, tenant: Tenant) -> None:
        response = await http.post(
            "/api/v1/content", json={"caption": "x", "profileId": "prof_x"}, headers=tenant.headers
        )
        assert response.status_code == 415
        assert response.json()["error"]["code"] == "unsupported_media_type"


class TestListContent:
    async def test_filters_by_status_profile_influencer_and_batch(
        self, http: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        influencer_id, ai = await ai_profile(http, tenant)
        managed = await managed_profile(http, tenant)
        first = (await upload_content(http, tenant, ai))["id"]
        second = (await upload_content(http, tenant, ai))["id"]
        third = (await upload_content(http, tenant, managed))["id"]
        approved = await http.post(f"/api/v1/content/{second}/approve", headers=tenant.headers)
        assert approved.status_code == 200

        assert await list_ids(http, tenant, status="approved") == [second]
        assert set(await list_ids(http, tenant, status="pending_review")) == {first, third}
        assert await list_ids(http, tenant, profileId=managed) == [third]
        assert await list_ids(http, tenant, status="pending_review", profileId=ai) == [first]
        assert set(await list_ids(http, tenant, influencerId=influencer_id)) == {first, second}
        assert await list_ids(http, tenant, batchId="bat_none") == []
        assert await list_ids(http, tenant, status="published") == []

    async def test_unknown_status_is_422_naming_it(self, http: httpx.AsyncClient, tenant: Tenant) -> None:
        response = await http.get("/api/v1/content", params={"status": "lost"}, headers=tenant.headers)
        assert response.status_code == 422
        assert error_fields(response) == {"status"}

    async def test_pages_with_cursor_cover_every_item_once(self, http: httpx.AsyncClient, tenant: Tenant) -> None:
        _, profile_id = await ai_profile(http, tenant)
        ids = {(await upload_content(http, tenant, profile_id, caption=f"post {i}"))["id"] for i in range(5)}
        seen: list[str] = []
        cursor = None
        while True:
            params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
            page = (await http.get("/api/v1/content", params=params, headers=tenant.headers)).json()
            assert len(page["data"]) <= 2
            seen += [item["id"] for item in page["data"]]
            cursor = page["nextCursor"]
            if cursor is None:
                break
        assert len(seen) == 5
        assert set(seen) == ids


class TestReview:
    async def test_approve_from_pending_review(self, http: httpx.AsyncClient, tenant: Tenant) -> None:
        _, profile_id = await ai_profile(http, tenant)
        created = await upload_content(http, tenant, profile_id)
        response = await http.post(f"/api/v1/content/{created['id']}/approve", headers=tenant.headers)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["status"] == "approved"
        assert body["approvedAt"] is not None
        assert body["rejectionReason"] is None

    async def test_approving_twice_is_409_naming_the_status(self, http: httpx.AsyncClient, tenant: Tenant) -> None:
        _, profile_id = await ai_profile(http, tenant)
        content_id = (await upload_content(http, tenant, profile_id))["id"]
        first = await http.post(f"/api/v1/content/{content_id}/approve", headers=tenant.headers)
        second = await http.post(f"/api/v1/content/{content_id}/approve", headers=tenant.headers)
        assert second.status_code == 409, second.text
        error = second.json()["error"]
        assert error["code"] == "invalid_transition"
        assert "approved" in error["message"]
        assert error["details"]["status"] == "approved"
        after = (await http.get(f"/api/v1/content/{content_id}", headers=tenant.headers)).json()
        assert after["approvedAt"] == first.json()["approvedAt"]

    async def test_concurrent_approvals_let_exactly_one_through(self, http: httpx.AsyncClient, tenant: Tenant) -> None:
        _, profile_id = await ai_profile(http, tenant)
        content_id = (await upload_content(http, tenant, profile_id))["id"]
        responses = await asyncio.gather(
            *(http.post(f"/api/v1/content/{content_id}/approve", headers=tenant.headers) for _ in range(4))
        )
        assert sorted(r.status_code for r in responses) == [200, 409, 409, 409]

    async def test_a_second_transition_waits_for_the_first_and_sees_its_result(
        self, http: httpx.AsyncClient, stack: Stack, tenant: Tenant
    ) -> None:
        _, profile_id = await ai_profile(http, tenant)
        content_id = (await upload_content(http, tenant, profile_id))["id"]

        async def approve_in_own_transaction() -> None:
            async with transaction(stack.sessions) as session:
                await content_service.approve_content(session, tenant.account_id, content_id)

        async with stack.sessions() as first:
            await content_service.approve_content(first, tenant.account_id, content_id)
            second = asyncio.create_task(approve_in_own_transaction())
            await asyncio.sleep(0.5)
            assert not second.done(), "the second approval read the status while the first still held the item"
            await first.commit()
        with pytest.raises(Conflict) as refused:
            await asyncio.wait_for(second, timeout=30)
        assert refused.value.details["status"] == "approved"

    async def test_an_empty_reason_is_422(self, http: httpx.AsyncClient, tenant: Tenant) -> None:
        _, profile_id = await ai_profile(http, tenant)
        content_id = (await upload_content(http, tenant, profile_id))["id"]
        response = await http.post(f"/api/v1/content/{content_id}/reject", json={"reason": ""}, headers=tenant.headers)
        assert response.status_code == 422, response.text
        assert error_fields(response) == {"reason"}
        unchanged = (await http.get(f"/api/v1/content/{content_id}", headers=tenant.headers)).json()
        assert unchanged["status"] == "pending_review"

    async def test_reject_without_a_body_or_reason(self, http: httpx.AsyncClient, tenant: Tenant) -> None:
        _, profile_id = await ai_profile(http, tenant)
        bodies: tuple[dict[str, str] | None, ...] = (None, {})
        for body in bodies:
            content_id = (await upload_content(http, tenant, profile_id))["id"]
            response = await http.post(f"/api/v1/content/{content_id}/reject", json=body, headers=tenant.headers)
            assert response.status_code == 200, response.text
            assert response.json()["status"] == "rejected"
            assert response.json()["rejectionReason"] is None

    async def test_reject_records_the_reason_and_approve_clears_it(
        self, http: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        _, profile_id = await ai_profile(http, tenant)
        content_id = (await upload_content(http, tenant, profile_id))["id"]
        rejected = await http.post(
            f"/api/v1/content/{content_id}/reject", json={"reason": "off-brand colours"}, headers=tenant.headers
        )
        assert rejected.status_code == 200, rejected.text
        assert rejected.json()["status"] == "rejected"
        assert rejected.json()["rejectionReason"] == "off-brand colours"
        assert rejected.json()["rejectedAt"] is not None
        assert await list_ids(http, tenant, status="rejected") == [content_id]

        approved = await http.post(f"/api/v1/content/{content_id}/approve", headers=tenant.headers)
        assert approved.status_code == 200, approved.text
        assert approved.json()["status"] == "approved"
        assert approved.json()["rejectionReason"] is None

    async def test_rejecting_a_rejected_item_is_409(self, http: httpx.AsyncClient, tenant: Tenant) -> None:
        _, profile_id = await ai_profile(http, tenant)
        content_id = (await upload_content(http, tenant, profile_id))["id"]
        url = f"/api/v1/content/{content_id}/reject"
        assert (await http.post(url, json={"reason": "blurry"}, headers=tenant.headers)).status_code == 200
        again = await http.post(url, json={"reason": "still blurry"}, headers=tenant.headers)
        assert again.status_code == 409
        assert again.json()["error"]["details"]["status"] == "rejected"
        kept = (await http.get(f"/api/v1/content/{content_id}", headers=tenant.headers)).json()
        assert kept["rejectionReason"] == "blurry"

    async def test_unknown_item_is_404(self, http: httpx.AsyncClient, tenant: Tenant) -> None:
        response = await http.post("/api/v1/content/cnt_missing/approve", headers=tenant.headers)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


class TestEditContent:
    async def test_patch_caption_keeps_the_old_caption_in_history(
        self, http: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        _, profile_id = await ai_profile(http, tenant)
        created = await upload_content(http, tenant, profile_id, caption="first words", hashtags=["paris"])
        response = await http.patch(
            f"/api/v1/content/{created['id']}", json={"caption": "better words"}, headers=tenant.headers
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["caption"] == "better words"
        assert body["hashtags"] == ["paris"]
        assert body["revision"] == created["revision"]
        assert body["status"] == "pending_review"
        assert len(body["history"]) == 1
        version = body["history"][0]
        assert (version["caption"], version["hashtags"], version["mediaUrl"]) == (
            "first words",
            ["paris"],
            created["mediaUrl"],
        )
        read = (await http.get(f"/api/v1/content/{created['id']}", headers=tenant.headers)).json()
        assert read["caption"] == "better words"
        assert [v["caption"] for v in read["history"]] == ["first words"]

    async def test_patch_hashtags_only_and_same_values_add_no_version(
        self, http: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        _, profile_id = await ai_profile(http, tenant)
        created = await upload_content(http, tenant, profile_id, caption="words", hashtags=["a"])
        url = f"/api/v1/content/{created['id']}"
        changed = await http.patch(url, json={"hashtags": ["#b", "c"]}, headers=tenant.headers)
        assert changed.status_code == 200, changed.text
        assert (changed.json()["caption"], changed.json()["hashtags"]) == ("words", ["b", "c"])
        assert [v["hashtags"] for v in changed.json()["history"]] == [["a"]]
        same = await http.patch(url, json={"caption": "words", "hashtags": ["b", "c"]}, headers=tenant.headers)
        assert same.status_code == 200
        assert len(same.json()["history"]) == 1

    async def test_unknown_field_and_empty_caption_are_422(self, http: httpx.AsyncClient, tenant: Tenant) -> None:
        _, profile_id = await ai_profile(http, tenant)
        url = f"/api/v1/content/{(await upload_content(http, tenant, profile_id))['id']}"
        assert error_fields(await http.patch(url, json={"title": "x"}, headers=tenant.headers)) == {"title"}
        assert error_fields(await http.patch(url, json={"caption": ""}, headers=tenant.headers)) == {"caption"}

    async def test_edit_and_delete_are_refused_while_publishing(
        self, http: httpx.AsyncClient, stack: Stack, tenant: Tenant
    ) -> None:
        _, profile_id = await ai_profile(http, tenant)
        created = await upload_content(http, tenant, profile_id, caption="original")
        await set_status(stack, created["id"], "publishing")
        url = f"/api/v1/content/{created['id']}"
        edit = await http.patch(url, json={"caption": "changed"}, headers=tenant.headers)
        assert edit.status_code == 409
        assert edit.json()["error"]["details"]["status"] == "publishing"
        delete = await http.delete(url, headers=tenant.headers)
        assert delete.status_code == 409
        read = await http.get(url, headers=tenant.headers)
        assert (read.json()["caption"], read.json()["history"]) == ("original", [])
        assert (await http.get(created["mediaUrl"])).status_code == 200


class TestDeleteContent:
    async def test_delete_removes_the_row_and_every_file(self, http: httpx.AsyncClient, tenant: Tenant) -> None:
        _, profile_id = await ai_profile(http, tenant)
        created = await upload_content(http, tenant, profile_id)
        kept = await upload_content(http, tenant, profile_id, image=png_bytes((0, 255, 0)))
        url = f"/api/v1/content/{created['id']}"
        assert (await http.get(created["mediaUrl"])).status_code == 200

        response = await http.delete(url, headers=tenant.headers)
        assert response.status_code == 204
        assert (await http.get(url, headers=tenant.headers)).status_code == 404
        assert (await http.get(created["mediaUrl"])).status_code == 404
        assert (await http.delete(url, headers=tenant.headers)).status_code == 404
        # Only that item's files went.
        assert (await http.get(kept["mediaUrl"])).status_code == 200
        assert await list_ids(http, tenant) == [kept["id"]]


class TestUsage:
    @staticmethod
    async def charge(stack: Stack, tenant: Tenant, action: BillableAction, units: int, key: str) -> bool:
        async with transaction(stack.sessions) as session:
            return await UsageRepository(session).charge(tenant.account_id, key, action, units)

    async def test_usage_totals_by_action_and_day(
        self, http: httpx.AsyncClient, stack: Stack, tenant: Tenant, other_tenant: Tenant
    ) -> None:
        before = datetime.now(UTC).date()
        run = uuid.uuid4().hex
        assert await self.charge(stack, tenant, BillableAction.IMAGE_GENERATION, 3, f"{run}-1")
        assert await self.charge(stack, tenant, BillableAction.IMAGE_GENERATION, 1, f"{run}-2")
        assert await self.charge(stack, tenant, BillableAction.CAPTION_GENERATION, 2, f"{run}-3")
        # A retried charge with the same key is not counted again.
        assert not await self.charge(stack, tenant, BillableAction.IMAGE_GENERATION, 3, f"{run}-1")
        after = datetime.now(UTC).date()

        response = await http.get("/api/v1/usage", headers=tenant.headers)
        assert response.status_code == 200, response.text
        usage = response.json()
        assert usage["currency"] == "USD"
        assert Decimal(usage["total"]) == Decimal("0.164")  # 4 images at 0.04, 2 captions at 0.002
        assert {k: Decimal(v) for k, v in usage["byAction"].items()} == {
            "caption_generation": Decimal("0.004"),
            "image_generation": Decimal("0.16"),
        }
        days = usage["days"]
        assert [(d["action"], d["count"], d["units"], Decimal(d["amount"])) for d in days] == [
            ("caption_generation", 1, 2, Decimal("0.004")),
            ("image_generation", 2, 4, Decimal("0.16")),
        ]
        assert {d["day"] for d in days} <= {before.isoformat(), after.isoformat()}

        theirs = (await http.get("/api/v1/usage", headers=other_tenant.headers)).json()
        assert Decimal(theirs["total"]) == 0
        assert (theirs["byAction"], theirs["days"]) == ({}, [])

    async def test_window_is_inclusive_of_both_days(
        self, http: httpx.AsyncClient, stack: Stack, tenant: Tenant
    ) -> None:
        assert await self.charge(stack, tenant, BillableAction.PHOTO_ANALYSIS, 5, uuid.uuid4().hex)
        usage = (await http.get("/api/v1/usage", headers=tenant.headers)).json()
        day = date.fromisoformat(usage["days"][0]["day"])

        async def total(**params: str) -> Decimal:
            response = await http.get("/api/v1/usage", params=params, headers=tenant.headers)
            assert response.status_code == 200, response.text
            return Decimal(response.json()["total"])

        next_day, previous_day = (day + timedelta(days=1)).isoformat(), (day - timedelta(days=1)).isoformat()
        assert await total(**{"from": day.isoformat(), "to": day.isoformat()}) == Decimal("0.05")
        assert await total(**{"from": previous_day}) == Decimal("0.05")
        assert await total(to=day.isoformat()) == Decimal("0.05")
        assert await total(**{"from": next_day}) == 0
        assert await total(to=previous_day) == 0

    async def test_from_after_to_is_422_naming_from(self, http: httpx.AsyncClient, tenant: Tenant) -> None:
        response = await http.get(
            "/api/v1/usage", params={"from": "2026-03-02", "to": "2026-03-01"}, headers=tenant.headers
        )
        assert response.status_code == 422
        assert error_fields(response) == {"from"}

    async def test_a_date_that_is_not_a_date_is_422(self, http: httpx.AsyncClient, tenant: Tenant) -> None:
        response = await http.get("/api/v1/usage", params={"to": "yesterday"}, headers=tenant.headers)
        assert response.status_code == 422
        assert error_fields(response) == {"to"}


class TestGenerate:
    """The profile and influencer of a batch are checked in one query; each wrong one is named."""

    async def test_a_wrong_target_is_a_422_naming_the_field(
        self, http: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant
    ) -> None:
        influencer_id, profile_id = await ai_profile(http, tenant)
        foreign_influencer, _ = await ai_profile(http, other_tenant)
        cases: list[tuple[dict[str, Any], str]] = [
            ({"profileId": "prof_missing"}, "profileId"),
            ({"profileId": profile_id, "influencerId": foreign_influencer}, "influencerId"),
            ({"profileId": await managed_profile(http, tenant)}, "influencerId"),
        ]
        for body, field in cases:
            response = await http.post("/api/v1/content/generate", json={**body, "count": 1}, headers=tenant.headers)
            assert response.status_code == 422, (body, response.text)
            assert error_fields(response) == {field}, body

        deleted = await http.delete(f"/api/v1/influencers/{influencer_id}", headers=tenant.headers)
        assert deleted.status_code in (202, 204), deleted.text
        response = await http.post(
            "/api/v1/content/generate", json={"profileId": profile_id, "count": 1}, headers=tenant.headers
        )
        assert response.status_code == 422, response.text
        assert error_fields(response) == {"influencerId"}

    async def test_an_explicit_influencer_is_used_and_the_answer_carries_the_items_and_run(
        self, http: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        _, profile_id = await ai_profile(http, tenant)
        other = await create_influencer(http, tenant, name="Noa Berg")
        response = await http.post(
            "/api/v1/content/generate",
            json={"profileId": profile_id, "influencerId": other["id"], "count": 2},
            headers=tenant.headers,
        )
        assert response.status_code == 202, response.text
        batch = response.json()
        assert (batch["influencerId"], batch["profileId"]) == (other["id"], profile_id)
        assert [item["position"] for item in batch["items"]] == [0, 1]
        assert batch["runId"]
        read = await http.get(f"/api/v1/batches/{batch['id']}", headers=tenant.headers)
        assert [item["position"] for item in read.json()["items"]] == [0, 1]
