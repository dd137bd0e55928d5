"""Batch generation for a profile with a written-voice corpus grounds its captions in that corpus: the same
influencer writes terse lower-case captions for a profile whose corpus is terse and lower case, and its
usual sentence-cased captions for a profile without one."""

from __future__ import annotations

import httpx

from domain.voice_style import style_of
from tests.e2e.test_voice_captions import TERSE
from tests.utils.factories import Tenant, create_influencer, create_profile
from tests.utils.polling import wait_for_batch


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
