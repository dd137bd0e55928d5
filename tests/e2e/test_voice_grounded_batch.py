"""Batch generation for a profile with a written-voice corpus grounds its captions in that corpus: the same
influencer writes terse lower-case captions for a profile whose corpus is terse and lower case, and its
usual sentence-cased captions for a profile without one."""

from __future__ import annotations

import httpx

from domain.voice_style import style_of
from tests.e2e.test_voice_captions import TERSE
from tests.utils.factories import Tenant, create_influencer, create_profile
from tests.utils.imports import seed_history, start_import, wait_for_import
from tests.utils.polling import wait_for_batch
from tests.utils.publishing import sandbox_account
from tests.utils.stack import Stack


async def _captions(http: httpx.AsyncClient, tenant: Tenant, profile_id: str) -> list[str]:
    started = await http.post(
        "/api/v1/content/generate", json={"profileId": profile_id, "count": 3}, headers=tenant.headers
    )
    assert started.status_code == 202, started.text
    batch = await wait_for_batch(http, tenant, started.json()["id"])
    assert batch["status"] == "completed", batch
    items = await http.get(f"/api/v1/content?batchId={started.json()['id']}", headers=tenant.headers)
    captions = [item["caption"] for item in items.json()["data"]]
    assert len(captions) == 3
    return captions


async def test_a_batch_for_a_profile_with_a_corpus_writes_in_its_voice(http: httpx.AsyncClient, tenant: Tenant) -> None:
    influencer = await create_influencer(
        http, tenant, personality="warm, curious", ingredients={"settings": ["Paris cafe"], "moods": ["relaxed"]}
    )
    grounded = await create_profile(http, tenant, influencer["id"])
    plain = await create_profile(http, tenant, influencer["id"])
    added = await http.post(
        f"/api/v1/profiles/{grounded['id']}/voice-samples", json={"samples": [{"text": t} for t in TERSE]},
        headers=tenant.headers,
    )  # fmt: skip
    assert added.status_code == 201, added.text

    grounded_style = style_of(await _captions(http, tenant, grounded["id"]))
    plain_style = style_of(await _captions(http, tenant, plain["id"]))
    assert grounded_style.lowercase == 1.0 and plain_style.lowercase == 0.0
    assert grounded_style.words < plain_style.words / 2


async def test_the_corpus_gathers_imported_posts_and_approved_captions(
    stack: Stack, http: httpx.AsyncClient, tenant: Tenant
) -> None:
    influencer = await create_influencer(http, tenant)
    profile = await create_profile(http, tenant, influencer["id"])
    account = await sandbox_account(http, tenant, profile["id"])
    await seed_history(stack, tenant, account["id"], 6)
    job = await wait_for_import(http, tenant, (await start_import(http, tenant, account["id"])).json()["id"])
    assert job["status"] == "completed", job
    captions = await _captions(http, tenant, profile["id"])
    items = await http.get(f"/api/v1/content?profileId={profile['id']}", headers=tenant.headers)
    first = items.json()["data"][0]
    assert (await http.post(f"/api/v1/content/{first['id']}/approve", headers=tenant.headers)).status_code == 200

    url = f"/api/v1/profiles/{profile['id']}/voice-stats"
    stats = (await http.get(url, headers=tenant.headers)).json()
    assert stats["bySource"] == {"imported": 6, "published": 0, "approved": 1, "manual": 0}
    assert stats["sampleCount"] == 7
    assert {s["platform"] for s in stats["recentSamples"] if s["source"] == "imported"} == {"sandbox"}
    assert any(s["text"].startswith(first["caption"]) for s in stats["recentSamples"] if s["source"] == "approved")
    assert first["caption"] in captions
    # Read again: the sync adds nothing twice.
    assert (await http.get(url, headers=tenant.headers)).json()["sampleCount"] == 7
    # A caption that is rejected again leaves the corpus.
    rejected = await http.post(f"/api/v1/content/{first['id']}/reject", json={"reason": "x"}, headers=tenant.headers)
    assert rejected.status_code == 200
    assert (await http.get(url, headers=tenant.headers)).json()["bySource"]["approved"] == 0
