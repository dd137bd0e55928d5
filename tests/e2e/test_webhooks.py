"""Webhooks over HTTP on a real Temporal server: a real batch's ``batch.completed`` reaches a receiver on
127.0.0.1 signed so the ``standardwebhooks`` library verifies it with the secret ``POST /webhooks`` gave;
redelivery, rotation overlap, the endpoint lifecycle, and a private URL refused where they are not allowed."""

from __future__ import annotations

import json

import httpx
import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from api.app import create_app
from tests.e2e.test_generation_flow import _generate
from tests.utils.factories import Tenant, create_influencer, create_profile
from tests.utils.imports import seed_history, start_import, wait_for_import
from tests.utils.polling import wait_for_batch
from tests.utils.publishing import approved_content, sandbox_account, wait_for_publish, wait_for_unpublished
from tests.utils.servers import free_port, serve_in_thread
from tests.utils.stack import Stack
from tests.utils.webhooks import register_webhook, running_receiver, wait_for_deliveries


async def test_real_batch_completed_is_delivered_signed_and_redelivered_under_both_secrets(
    http: httpx.AsyncClient, tenant: Tenant
) -> None:
    with running_receiver() as (receiver, url):
        webhook = await register_webhook(http, tenant, url, events=["batch.completed", "batch.failed"])
        assert webhook["id"].startswith("whk_") and webhook["secret"].startswith("whsec_")
        assert webhook["status"] == "enabled"
        started, _ = await _generate(http, tenant, 1)
        batch = await wait_for_batch(http, tenant, started["id"])
        assert batch["status"] == "completed"

        [delivery] = await wait_for_deliveries(http, tenant, webhook["id"])
        assert delivery["status"] == "succeeded" and delivery["eventType"] == "batch.completed"
        assert [a["statusCode"] for a in delivery["attempts"]] == [200]
        [first] = receiver.received
        payload = Webhook(webhook["secret"]).verify(first.body, first.headers)
        assert payload["type"] == "batch.completed"
        assert payload["id"] == first.headers["webhook-id"] == delivery["eventId"]
        assert payload["data"]["id"] == batch["id"]
        assert payload["data"]["counts"]["completed"] == 1
        with pytest.raises(WebhookVerificationError):
            Webhook("whsec_" + "A" * 43 + "=").verify(first.body, first.headers)

        rotated = await http.post(f"/api/v1/webhooks/{webhook['id']}/rotate-secret", headers=tenant.headers)
        assert rotated.status_code == 200, rotated.text
        new_secret = rotated.json()["secret"]
        assert new_secret != webhook["secret"] and rotated.json()["previousSecretExpiresAt"]
        again = await http.post(
            f"/api/v1/webhooks/{webhook['id']}/deliveries/{delivery['id']}/redeliver", headers=tenant.headers
        )
        assert again.status_code == 202, again.text
        assert again.json()["redeliveryOf"] == delivery["id"]
        deliveries = await wait_for_deliveries(http, tenant, webhook["id"], settled=2)
        assert {d["status"] for d in deliveries} == {"succeeded"}
        second = receiver.received[1]
        assert second.headers["webhook-id"] == first.headers["webhook-id"]  # the same event: receivers dedupe
        assert len(second.headers["webhook-signature"].split(" ")) == 2
        for secret in (webhook["secret"], new_secret):  # the overlap: old and new both verify
            assert Webhook(secret).verify(second.body, second.headers)["data"]["id"] == batch["id"]


async def test_endpoint_lifecycle_and_bad_input(http: httpx.AsyncClient, tenant: Tenant) -> None:
    with running_receiver() as (_, url):
        bad = await http.post(
            "/api/v1/webhooks", json={"url": url, "events": ["batch.completed", "nope"]}, headers=tenant.headers
        )
        assert bad.status_code == 422
        assert bad.json()["error"]["details"][0]["field"] == "events"
        ftp = await http.post(
            "/api/v1/webhooks", json={"url": "ftp://example.com/x", "events": ["*"]}, headers=tenant.headers
        )
        assert ftp.status_code == 422 and ftp.json()["error"]["details"][0]["field"] == "url"
        assert (await http.get("/api/v1/webhooks", headers=tenant.headers)).json()["data"] == []

        created = await register_webhook(http, tenant, url, events=["*"])
        listed = (await http.get("/api/v1/webhooks", headers=tenant.headers)).json()["data"]
        assert [w["id"] for w in listed] == [created["id"]] and "secret" not in listed[0]
        paused = await http.patch(
            f"/api/v1/webhooks/{created['id']}",
            json={"enabled": False, "events": ["video.completed"]},
            headers=tenant.headers,
        )
        assert paused.status_code == 200
        assert paused.json()["status"] == "disabled" and paused.json()["events"] == ["video.completed"]
        resumed = await http.patch(f"/api/v1/webhooks/{created['id']}", json={"enabled": True}, headers=tenant.headers)
        assert resumed.json()["status"] == "enabled" and resumed.json()["disabledReason"] is None
        deleted = await http.delete(f"/api/v1/webhooks/{created['id']}", headers=tenant.headers)
        assert deleted.status_code == 204
        gone = await http.get(f"/api/v1/webhooks/{created['id']}", headers=tenant.headers)
        assert gone.status_code == 404


async def test_private_or_loopback_url_without_the_setting_is_422_and_stores_nothing(
    stack: Stack, tenant: Tenant
) -> None:
    production = create_app(stack.settings.model_copy(update={"allow_private_urls": False}))
    urls = [
        f"http://127.0.0.1:{free_port()}/hooks",
        "http://10.0.0.8/hooks",
        "https://[::1]/hooks",
        "http://localhost/hooks",
        "http://169.254.169.254/latest/meta-data",
    ]
    with serve_in_thread(production, free_port()) as base_url:
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as strict:
            for url in urls:
                response = await strict.post(
                    "/api/v1/webhooks", json={"url": url, "events": ["*"]}, headers=tenant.headers
                )
                assert response.status_code == 422, (url, response.text)
                error = response.json()["error"]
                assert error["details"][0]["field"] == "url", json.dumps(error)
                assert "AUTOPERSONAS_ALLOW_PRIVATE_URLS" in error["message"]
            listed = await strict.get("/api/v1/webhooks", headers=tenant.headers)
            assert listed.json()["data"] == []
            patched_target = await strict.patch(
                "/api/v1/webhooks/whk_missing", json={"url": urls[0]}, headers=tenant.headers
            )
            assert patched_target.status_code == 404


async def test_publish_unpublish_and_a_refused_publish_are_pushed(http: httpx.AsyncClient, tenant: Tenant) -> None:
    with running_receiver() as (receiver, url):
        webhook = await register_webhook(
            http, tenant, url, events=["content.published", "content.unpublished", "publish.failed"]
        )
        content, profile = await approved_content(http, tenant)
        account = await sandbox_account(http, tenant, profile["id"])
        await http.post(f"/api/v1/content/{content['id']}/publish", headers=tenant.headers)
        await wait_for_publish(http, tenant, content["id"])
        await http.post(f"/api/v1/content/{content['id']}/unpublish", headers=tenant.headers)
        await wait_for_unpublished(http, tenant, content["id"])

        refused, refused_profile = await approved_content(http, tenant)
        await sandbox_account(http, tenant, refused_profile["id"], {"mode": "permanent", "times": 1})
        await http.post(f"/api/v1/content/{refused['id']}/publish", headers=tenant.headers)
        status = await wait_for_publish(http, tenant, refused["id"])
        assert status["targets"][0]["status"] == "failed"

        deliveries = await wait_for_deliveries(http, tenant, webhook["id"], settled=3)
    assert {d["status"] for d in deliveries} == {"succeeded"}
    payloads = [Webhook(webhook["secret"]).verify(r.body, r.headers) for r in receiver.received]
    by_type = {p["type"]: p["data"] for p in payloads}
    assert sorted(by_type) == ["content.published", "content.unpublished", "publish.failed"]
    assert by_type["content.published"]["contentId"] == content["id"]
    assert by_type["content.published"]["accountId"] == account["id"]
    assert by_type["content.unpublished"]["status"] == "unpublished"
    assert by_type["publish.failed"]["contentId"] == refused["id"] and by_type["publish.failed"]["errorCode"]


async def test_import_completed_is_pushed(stack: Stack, http: httpx.AsyncClient, tenant: Tenant) -> None:
    with running_receiver() as (receiver, url):
        webhook = await register_webhook(http, tenant, url, events=["import.completed", "import.failed"])
        profile = await create_profile(http, tenant, (await create_influencer(http, tenant))["id"])
        account = await sandbox_account(http, tenant, profile["id"])
        await seed_history(stack, tenant, account["id"], 3)
        started = await start_import(http, tenant, account["id"], includeMedia=False)
        job = await wait_for_import(http, tenant, started.json()["id"])
        assert job["status"] == "completed"
        [delivery] = await wait_for_deliveries(http, tenant, webhook["id"])
    assert delivery["status"] == "succeeded" and delivery["eventType"] == "import.completed"
    payload = Webhook(webhook["secret"]).verify(receiver.received[0].body, receiver.received[0].headers)
    assert payload["data"]["id"] == job["id"] and payload["data"]["counts"]["imported"] == 3
