"""The CLI as a client of the API, run as a real process against the running stack: ``generate --watch``
draws progress and ends with the items, content commands act on them, ``batches watch`` and
``jobs watch`` follow work, and exit codes follow the outcome."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys

import httpx

from tests.utils.factories import Tenant, connect_sandbox, create_influencer, create_profile
from tests.utils.polling import wait_for_batch
from tests.utils.publishing import wait_for_publish
from tests.utils.stack import Stack

CONTENT_ID = re.compile(r"cnt_[A-Za-z0-9]+")


async def run_cli(
    stack: Stack, key: str | None, *args: str, api_url: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUTOPERSONAS_")}
    env.update({"AUTOPERSONAS_API_URL": api_url or stack.base_url, "COLUMNS": "200", "TERM": "dumb"})
    if key is not None:
        env["AUTOPERSONAS_API_KEY"] = key
    command = [sys.executable, "-m", "cli", *args]
    return await asyncio.to_thread(subprocess.run, command, env=env, capture_output=True, text=True, timeout=180)


async def test_generate_watch_then_approve_publish_and_list(
    stack: Stack, http: httpx.AsyncClient, tenant: Tenant
) -> None:
    influencer = await create_influencer(http, tenant)
    profile = await create_profile(http, tenant, influencer["id"])
    account = await connect_sandbox(http, tenant, profile["id"])

    generated = await run_cli(stack, tenant.secret, "generate", "--profile", profile["id"], "--count", "3", "--watch")
    assert generated.returncode == 0, generated.stderr
    assert "completed" in generated.stdout
    assert "3/3" in generated.stdout  # the progress bar's last frame
    shown = sorted(set(CONTENT_ID.findall(generated.stdout)))
    listed = (await http.get("/api/v1/content", params={"profileId": profile["id"]}, headers=tenant.headers)).json()
    assert shown == sorted(item["id"] for item in listed["data"])
    assert len(shown) == 3

    first, second = shown[0], shown[1]
    approved = await run_cli(stack, tenant.secret, "content", "approve", first)
    assert approved.returncode == 0 and f"{first}: approved" in approved.stdout
    rejected = await run_cli(stack, tenant.secret, "content", "reject", second, "--reason", "off brand")
    assert rejected.returncode == 0 and f"{second}: rejected" in rejected.stdout
    item = (await http.get(f"/api/v1/content/{second}", headers=tenant.headers)).json()
    assert item["rejectionReason"] == "off brand"

    published = await run_cli(stack, tenant.secret, "content", "publish", first, "--account", account["id"])
    assert published.returncode == 0, published.stderr
    assert account["id"] in published.stdout
    status = await wait_for_publish(http, tenant, first)
    assert status["contentStatus"] == "published"

    only_rejected = await run_cli(
        stack, tenant.secret, "content", "list", "--profile", profile["id"], "--status", "rejected"
    )
    assert only_rejected.returncode == 0
    assert set(CONTENT_ID.findall(only_rejected.stdout)) == {second}


async def test_watching_a_cancelled_batch_exits_1_and_a_finished_job_exits_0(
    stack: Stack, http: httpx.AsyncClient, tenant: Tenant
) -> None:
    influencer = await create_influencer(http, tenant)
    profile = await create_profile(http, tenant, influencer["id"])
    started = await http.post(
        "/api/v1/content/generate", json={"profileId": profile["id"], "count": 40}, headers=tenant.headers
    )
    batch_id = started.json()["id"]
    for _ in range(400):  # cancel once the batch is under way, as a person watching it would
        progress = (await http.get(f"/api/v1/batches/{batch_id}", headers=tenant.headers)).json()
        if progress["counts"]["completed"] >= 1:
            break
        await asyncio.sleep(0.05)
    assert (await http.post(f"/api/v1/batches/{batch_id}/cancel", headers=tenant.headers)).status_code == 202
    watched = await run_cli(stack, tenant.secret, "batches", "watch", batch_id)
    assert watched.returncode == 1, watched.stdout + watched.stderr
    assert "cancelled" in watched.stdout

    small = await http.post(
        "/api/v1/content/generate", json={"profileId": profile["id"], "count": 1}, headers=tenant.headers
    )
    batch = await wait_for_batch(http, tenant, small.json()["id"])
    content_id = batch["items"][0]["resultId"]
    regenerated = await http.post(f"/api/v1/content/{content_id}/regenerate", headers=tenant.headers)
    job_id = regenerated.headers["X-Job-Id"]
    followed = await run_cli(stack, tenant.secret, "jobs", "watch", job_id)
    assert followed.returncode == 0, followed.stdout + followed.stderr
    assert f"job {job_id} regenerate: completed" in followed.stdout


async def test_refusals_and_unreachable_api_have_their_own_exit_codes(stack: Stack, tenant: Tenant) -> None:
    missing_key = await run_cli(stack, None, "content", "list")
    assert missing_key.returncode == 2 and "AUTOPERSONAS_API_KEY" in missing_key.stderr

    wrong_key = await run_cli(stack, "ap_live_" + "x" * 43, "content", "list")
    assert wrong_key.returncode == 3
    assert "401 invalid_api_key" in wrong_key.stderr

    bad_field = await run_cli(stack, tenant.secret, "generate", "--profile", "prof_nope", "--count", "2")
    assert bad_field.returncode == 3
    assert "HTTP 4" in bad_field.stderr

    unreachable = await run_cli(stack, tenant.secret, "content", "list", api_url="http://127.0.0.1:9")
    assert unreachable.returncode == 4 and "cannot reach the API" in unreachable.stderr

    usage = await run_cli(stack, tenant.secret, "generate", "--count", "2")
    assert usage.returncode == 2 and "--profile" in usage.stderr
