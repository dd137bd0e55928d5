"""Social import end to end over HTTP on the sandbox: published and historical posts come into the profile's
media library with stored, fetchable media; a second import brings nothing twice; Instagram is gated; one
import per account at a time; a cancelled import ends ``cancelled``."""

from __future__ import annotations

from typing import Any

import httpx

from tests.utils.factories import Tenant, create_influencer, create_profile
from tests.utils.imports import break_media, library, seed_history, start_import, wait_for_import
from tests.utils.polling import wait_for_batch
from tests.utils.publishing import sandbox_account, wait_for_publish
from tests.utils.stack import Stack

PUBLISHED = 3
SEEDED = 40


async def _publish_three(http: httpx.AsyncClient, tenant: Tenant) -> tuple[dict[str, Any], dict[str, Any]]:
    """(profile, sandbox account): three generated items of one profile, published to its sandbox account."""
    influencer = await create_influencer(http, tenant)
    profile = await create_profile(http, tenant, influencer["id"])
    account = await sandbox_account(http, tenant, profile["id"])
    started = await http.post(
        "/api/v1/content/generate", json={"profileId": profile["id"], "count": PUBLISHED}, headers=tenant.headers
    )
    batch = await wait_for_batch(http, tenant, started.json()["id"])
    for item in batch["items"]:
        content_id = item["resultId"]
        approved = await http.post(f"/api/v1/content/{content_id}/approve", headers=tenant.headers)
        assert approved.status_code == 200, approved.text
        published = await http.post(f"/api/v1/content/{content_id}/publish", headers=tenant.headers)
        assert published.status_code == 202, published.text
        status = await wait_for_publish(http, tenant, content_id)
        assert status["contentStatus"] == "published", status
    return profile, account


async def test_import_brings_published_and_historical_posts_once(
    stack: Stack, http: httpx.AsyncClient, tenant: Tenant
) -> None:
    profile, account = await _publish_three(http, tenant)
    await seed_history(stack, tenant, account["id"], SEEDED)

    started = await start_import(http, tenant, account["id"])
    assert started.status_code == 202, started.text
    job_id = started.json()["id"]
    assert job_id.startswith("imp_")
    assert started.headers["location"] == f"/api/v1/social-import/jobs/{job_id}"
    assert started.json()["workflowId"] == f"import-{job_id}"
    job = await wait_for_import(http, tenant, job_id)
    assert job["status"] == "completed", job
    assert job["counts"] == {"discovered": 43, "imported": 43, "skipped": 0, "failed": 0}
    assert job["accountId"] == account["id"] and job["profileId"] == profile["id"]
    assert job["startedAt"] and job["finishedAt"]

    items = await library(http, tenant, profile["id"])
    assert len(items) == PUBLISHED + SEEDED
    assert len({i["platformPostId"] for i in items}) == PUBLISHED + SEEDED
    posted = [i["postedAt"] for i in items]
    assert posted == sorted(posted, reverse=True)
    assert {i["mediaType"] for i in items} == {"image", "video"}
    for item in items:
        assert item["id"].startswith("med_") and item["importJobId"] == job_id
        assert item["url"], item
        media = await http.get(item["url"])
        assert media.status_code == 200 and media.content, item["url"]
    videos = await library(http, tenant, profile["id"], mediaType="video")
    assert videos and all(v["mediaType"] == "video" for v in videos)
    newest = await library(http, tenant, profile["id"], since=posted[PUBLISHED + 4])
    assert len(newest) == PUBLISHED + 5

    again = await start_import(http, tenant, account["id"])
    assert again.status_code == 202, again.text
    second = await wait_for_import(http, tenant, again.json()["id"])
    assert second["status"] == "completed", second
    assert second["counts"] == {"discovered": 43, "imported": 0, "skipped": 43, "failed": 0}
    assert len(await library(http, tenant, profile["id"])) == PUBLISHED + SEEDED


async def test_instagram_import_is_gated(http: httpx.AsyncClient, tenant: Tenant) -> None:
    response = await start_import(http, tenant, "acc_whatever", platform="instagram")
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "feature_disabled"
    assert "Meta scope upgrade" in error["message"]


async def test_account_of_another_platform_or_without_a_profile_is_refused(
    http: httpx.AsyncClient, tenant: Tenant
) -> None:
    influencer = await create_influencer(http, tenant)
    profile = await create_profile(http, tenant, influencer["id"])
    account = await sandbox_account(http, tenant, profile["id"])
    response = await start_import(http, tenant, account["id"], platform="x")
    assert response.status_code == 422, response.text
    assert (await start_import(http, tenant, "acc_missing")).status_code == 404
    loose = await sandbox_account(http, tenant, None)
    no_profile = await start_import(http, tenant, loose["id"])
    assert no_profile.status_code == 422, no_profile.text
    assert "not attached to a profile" in no_profile.json()["error"]["message"]


async def test_second_import_while_one_runs_is_409_and_cancel_ends_cancelled(
    stack: Stack, http: httpx.AsyncClient, tenant: Tenant
) -> None:
    influencer = await create_influencer(http, tenant)
    profile = await create_profile(http, tenant, influencer["id"])
    account = await sandbox_account(http, tenant, profile["id"])
    # Page after page of failing media downloads keeps the first import running while the second is asked for.
    seeded = await seed_history(stack, tenant, account["id"], 30)
    await break_media(stack, seeded[0].platform_user_id)
    first = await start_import(http, tenant, account["id"])
    assert first.status_code == 202, first.text
    job_id = first.json()["id"]

    second = await start_import(http, tenant, account["id"])
    assert second.status_code == 409, second.text
    error = second.json()["error"]
    assert error["code"] == "already_running"
    assert job_id in error["message"] and error["details"]["jobId"] == job_id

    cancelled = await http.post(f"/api/v1/social-import/jobs/{job_id}/cancel", headers=tenant.headers)
    assert cancelled.status_code == 202, cancelled.text
    job = await wait_for_import(http, tenant, job_id)
    assert job["status"] == "cancelled", job
    assert job["finishedAt"]
    again = await http.post(f"/api/v1/social-import/jobs/{job_id}/cancel", headers=tenant.headers)
    assert again.status_code == 409

    # Once it has ended, the account may be imported again.
    third = await start_import(http, tenant, account["id"], includeMedia=False)
    assert third.status_code == 202, third.text
    done = await wait_for_import(http, tenant, third.json()["id"])
    assert done["status"] == "completed", done


async def test_posts_whose_media_cannot_be_fetched_fail_alone(
    stack: Stack, http: httpx.AsyncClient, tenant: Tenant
) -> None:
    influencer = await create_influencer(http, tenant)
    profile = await create_profile(http, tenant, influencer["id"])
    account = await sandbox_account(http, tenant, profile["id"])
    seeded = await seed_history(stack, tenant, account["id"], 5)
    broken = [seeded[1].id, seeded[3].id]
    await break_media(stack, seeded[0].platform_user_id, broken)

    started = await start_import(http, tenant, account["id"])
    job = await wait_for_import(http, tenant, started.json()["id"])
    assert job["status"] == "partially_failed", job
    assert job["counts"] == {"discovered": 5, "imported": 3, "skipped": 0, "failed": 2}
    assert sorted(f["platformPostId"] for f in job["failures"]) == sorted(broken)
    assert all("could not be fetched" in f["reason"] for f in job["failures"])
    items = await library(http, tenant, profile["id"])
    assert len(items) == 3 and not {i["platformPostId"] for i in items} & set(broken)


async def test_since_and_max_posts_bound_the_import(stack: Stack, http: httpx.AsyncClient, tenant: Tenant) -> None:
    influencer = await create_influencer(http, tenant)
    profile = await create_profile(http, tenant, influencer["id"])
    account = await sandbox_account(http, tenant, profile["id"])
    seeded = await seed_history(stack, tenant, account["id"], 10)

    recent = await start_import(http, tenant, account["id"], since=seeded[3].created_at.isoformat())
    job = await wait_for_import(http, tenant, recent.json()["id"])
    assert job["status"] == "completed", job
    assert job["counts"]["imported"] == 4
    assert {i["platformPostId"] for i in await library(http, tenant, profile["id"])} == {p.id for p in seeded[:4]}

    capped = await start_import(http, tenant, account["id"], maxPosts=6, includeMedia=False)
    job = await wait_for_import(http, tenant, capped.json()["id"])
    assert job["counts"] == {"discovered": 6, "imported": 2, "skipped": 4, "failed": 0}
    too_many = await start_import(http, tenant, account["id"], maxPosts=5001)
    assert too_many.status_code == 422
