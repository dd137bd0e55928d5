"""Campaigns over HTTP on the whole stack (real Temporal dev server, real worker, SQLite and PostgreSQL):
create one and find its Schedule in Temporal, trigger a slot and see its batch and its publish scheduled at
the slot, pause, resume, delete with cancelScheduled; and bad definitions refused on their field."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import select
from temporalio.client import Client, ScheduleOverlapPolicy
from temporalio.service import RPCError

from contracts.campaigns import campaign_schedule_id
from store.models import WebhookEvent
from tests.utils.factories import Tenant, create_influencer, create_profile
from tests.utils.polling import wait_for_batch
from tests.utils.publishing import sandbox_account
from tests.utils.stack import Stack

PARIS = ZoneInfo("Europe/Paris")
WEEKDAYS_8 = {"slots": [{"days": ["mon", "tue", "wed", "thu", "fri"], "times": ["08:00"]}]}


async def _setup(http: httpx.AsyncClient, tenant: Tenant) -> tuple[dict[str, Any], dict[str, Any]]:
    influencer = await create_influencer(http, tenant)
    profile = await create_profile(http, tenant, influencer["id"], timezone="Europe/Paris")
    account = await sandbox_account(http, tenant, profile["id"])
    return profile, account


async def _schedule_ids(client: Client) -> set[str]:
    return {entry.id async for entry in await client.list_schedules()}


async def _listed(client: Client, schedule_id: str, *, present: bool = True, timeout: float = 30.0) -> bool:
    """Whether the Schedule list comes to show (or stop showing) ``schedule_id``: the list is read from
    Temporal's visibility store, which trails a create or delete by a moment, more on a loaded machine."""
    deadline = asyncio.get_running_loop().time() + timeout
    while (schedule_id in await _schedule_ids(client)) != present:
        if asyncio.get_running_loop().time() > deadline:
            return False
        await asyncio.sleep(0.2)
    return True


async def exercise_campaign(stack: Stack, http: httpx.AsyncClient, tenant: Tenant) -> dict[str, Any]:
    """Create, trigger and check; returns the trigger's answer (the run's workflow id) and the campaign."""
    profile, account = await _setup(http, tenant)
    created = await http.post(
        "/api/v1/campaigns",
        json={"name": "Weekday mornings", "profileId": profile["id"], "schedule": WEEKDAYS_8, "review": "auto",
              "moods": ["sunny", "calm"]},
        headers=tenant.headers,
    )
    assert created.status_code == 201, created.text
    campaign = created.json()
    assert campaign["id"].startswith("cmp_") and campaign["status"] == "active"
    assert campaign["accountIds"] == [account["id"]] and campaign["timezone"] == "Europe/Paris"
    assert len(campaign["nextSlots"]) == 5
    for slot in campaign["nextSlots"]:
        local = datetime.fromisoformat(slot["local"])
        assert (local.hour, local.minute, local.weekday() < 5) == (8, 0, True)
        assert datetime.fromisoformat(slot["at"]) == local.astimezone(UTC)

    trigger = await http.post(f"/api/v1/campaigns/{campaign['id']}/trigger", headers=tenant.headers)
    assert trigger.status_code == 202, trigger.text
    triggered = trigger.json()
    assert triggered["slot"]["at"] == campaign["nextSlots"][0]["at"]
    result = await stack.client.get_workflow_handle(triggered["workflowId"]).result()
    assert result["skipped"] is None if isinstance(result, dict) else result.skipped is None
    return {"campaign": campaign, "trigger": triggered, "account": account}


@pytest.mark.timeout(300)
async def test_campaign_lifecycle_over_http(stack: Stack, http: httpx.AsyncClient, tenant: Tenant) -> None:
    done = await exercise_campaign(stack, http, tenant)
    campaign, triggered = done["campaign"], done["trigger"]
    schedule_id = campaign["workflowScheduleId"]
    assert await _listed(stack.client, schedule_id)

    # The Schedule: fires 2 h before each slot, 06:00 Paris time, Mon-Fri; skip overlaps; no jitter.
    described = await stack.client.get_schedule_handle(schedule_id).describe()
    assert described.schedule.policy.overlap == ScheduleOverlapPolicy.SKIP
    assert described.schedule.spec.time_zone_name == "Europe/Paris"
    assert described.schedule.spec.jitter in (None, timedelta(0))
    assert described.schedule.policy.catchup_window == timedelta(minutes=stack.settings.campaign_catchup_minutes)
    upcoming = described.info.next_action_times
    assert upcoming and all(t.astimezone(PARIS).hour == 6 and t.astimezone(PARIS).weekday() < 5 for t in upcoming)
    assert (await described.memo())["campaignId"] == campaign["id"]

    runs = await http.get(f"/api/v1/campaigns/{campaign['id']}/runs", headers=tenant.headers)
    assert runs.status_code == 200, runs.text
    [run] = runs.json()["data"]
    assert run["slot"]["at"] == triggered["slot"]["at"] and run["status"] == "completed"
    [content_id] = run["contentIds"]
    assert run["items"] == [{"contentId": content_id, "outcome": "scheduled", "reason": None}]
    async with stack.sessions() as session:  # the run's webhook event, written with its outcome
        [event] = (
            await session.scalars(
                select(WebhookEvent).where(
                    WebhookEvent.account_id == tenant.account_id, WebhookEvent.type == "campaign.run.completed"
                )
            )
        ).all()
    assert event.data["campaignId"] == campaign["id"] and event.data["status"] == "completed"
    assert event.data["items"] == [{"contentId": content_id, "outcome": "scheduled", "reason": None}]
    batch = await wait_for_batch(http, tenant, run["batchId"])
    assert batch["status"] == "completed"
    status = (await http.get(f"/api/v1/content/{content_id}/publish/status", headers=tenant.headers)).json()
    assert status["contentStatus"] == "scheduled"
    assert [(t["accountId"], t["status"]) for t in status["targets"]] == [(done["account"]["id"], "scheduled")]
    assert datetime.fromisoformat(status["targets"][0]["scheduledAt"]) == datetime.fromisoformat(run["slot"]["at"])

    start = datetime.now(UTC)
    calendar = await http.get(
        "/api/v1/calendar",
        params={"from": start.isoformat(), "to": (start + timedelta(days=8)).isoformat(),
                "profileId": campaign["profileId"]},
        headers=tenant.headers,
    )
    assert calendar.status_code == 200, calendar.text
    kinds = [(e["kind"], e.get("contentId")) for e in calendar.json()["data"]]
    assert ("scheduled_publish", content_id) in kinds
    assert sum(1 for kind, _ in kinds if kind == "campaign_slot") >= 5

    paused = await http.post(f"/api/v1/campaigns/{campaign['id']}/pause", headers=tenant.headers)
    assert paused.json()["status"] == "paused" and paused.json()["nextSlots"] == []
    assert (await stack.client.get_schedule_handle(schedule_id).describe()).schedule.state.paused
    again = await http.post(f"/api/v1/campaigns/{campaign['id']}/pause", headers=tenant.headers)
    assert again.status_code == 200  # staying paused is allowed
    resumed = await http.post(f"/api/v1/campaigns/{campaign['id']}/resume", headers=tenant.headers)
    assert resumed.json()["status"] == "active"
    assert not (await stack.client.get_schedule_handle(schedule_id).describe()).schedule.state.paused

    deleted = await http.delete(
        f"/api/v1/campaigns/{campaign['id']}", params={"cancelScheduled": "true"}, headers=tenant.headers
    )
    assert deleted.status_code == 200, deleted.text
    assert deleted.json()["status"] == "ended"
    assert await _listed(stack.client, schedule_id, present=False)
    with pytest.raises(RPCError):
        await stack.client.get_schedule_handle(schedule_id).describe()
    # The scheduled publish was called off: its item is approved again, nothing was posted.
    for _ in range(100):
        item = (await http.get(f"/api/v1/content/{content_id}", headers=tenant.headers)).json()
        if item["status"] == "approved":
            break
        await asyncio.sleep(0.1)
    assert item["status"] == "approved"
    resume_ended = await http.post(f"/api/v1/campaigns/{campaign['id']}/resume", headers=tenant.headers)
    assert resume_ended.status_code == 409


async def test_bad_definitions_are_422_on_their_field(
    stack: Stack, http: httpx.AsyncClient, tenant: Tenant
) -> None:
    profile, _ = await _setup(http, tenant)
    other_profile = await create_profile(http, tenant, profile["influencerId"], name="Other")
    other_account = await sandbox_account(http, tenant, other_profile["id"])
    base = {"name": "Bad", "profileId": profile["id"], "schedule": WEEKDAYS_8}
    cases: list[tuple[dict[str, Any], str]] = [
        ({**base, "schedule": {"cron": "0 25 * * *"}}, "schedule.cron"),
        ({**base, "schedule": {**WEEKDAYS_8, "timezone": "Europe/Atlantis"}}, "schedule.timezone"),
        ({**base, "startAt": "2030-01-10T00:00:00Z", "endAt": "2030-01-01T00:00:00Z"}, "endAt"),
        ({**base, "accountIds": [other_account["id"]]}, "accountIds.0"),
        ({**base, "schedule": {**WEEKDAYS_8, "cron": "0 8 * * *"}}, "schedule"),
        ({**base, "postsPerSlot": 6}, "postsPerSlot"),
    ]
    before = await _schedule_ids(stack.client)
    for body, field in cases:
        response = await http.post("/api/v1/campaigns", json=body, headers=tenant.headers)
        assert response.status_code == 422, (field, response.text)
        error = response.json()["error"]
        assert error["code"] == "validation_error"
        assert field in [d["field"] for d in error["details"]], (field, error)
    listed = await http.get("/api/v1/campaigns", headers=tenant.headers)
    assert listed.json()["data"] == []  # nothing half-written
    # No campaign Schedule was made (one deleted by an earlier test may have left the list meanwhile). Only
    # campaign Schedules count: the accounts made above have analytics Schedules, which the visibility store
    # may come to list only now.
    campaigns_now = {i for i in await _schedule_ids(stack.client) if i.startswith(campaign_schedule_id(""))}
    assert campaigns_now <= before


async def test_deleting_the_profile_or_influencer_ends_its_campaigns(
    stack: Stack, http: httpx.AsyncClient, tenant: Tenant
) -> None:
    profile, _ = await _setup(http, tenant)
    body = {"name": "Ends", "profileId": profile["id"], "schedule": {"cron": "0 9 * * sat"}}
    by_profile = (await http.post("/api/v1/campaigns", json=body, headers=tenant.headers)).json()
    deleted = await http.delete(f"/api/v1/profiles/{profile['id']}", headers=tenant.headers)
    assert deleted.status_code in (200, 204), deleted.text
    ended = (await http.get(f"/api/v1/campaigns/{by_profile['id']}", headers=tenant.headers)).json()
    assert (ended["status"], ended["endedReason"], ended["nextSlots"]) == ("ended", "its profile was deleted", [])

    profile, _ = await _setup(http, tenant)
    by_influencer = (
        await http.post("/api/v1/campaigns", json={**body, "profileId": profile["id"]}, headers=tenant.headers)
    ).json()
    assert await _listed(stack.client, by_influencer["workflowScheduleId"])
    gone = await http.delete(f"/api/v1/influencers/{profile['influencerId']}", headers=tenant.headers)
    assert gone.status_code in (200, 202, 204), gone.text
    ended = (await http.get(f"/api/v1/campaigns/{by_influencer['id']}", headers=tenant.headers)).json()
    assert (ended["status"], ended["endedReason"]) == ("ended", "its influencer was deleted")
    assert await _listed(stack.client, by_influencer["workflowScheduleId"], present=False)
