"""A profile's written voice end to end: two managed profiles with different corpora (one terse and lower
case, one long with emoji and questions) get captions for the same image whose measured style follows
their own corpus, and whose ``voiceMatch`` is higher against their own corpus than against the other's."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from domain.voice_style import style_of, voice_match
from providers.embeddings.local.provider import embed_now
from tests.providers.wire_servers import Reply, WireServer, png_bytes
from tests.utils.factories import Tenant
from tests.utils.polling import wait_for_job

TERSE = [
    "coffee. then more coffee", "sunday reset", "new week same me", "rain again lol", "quiet morning",
    "back at it", "long walk, no phone", "good bread, good day", "studio day", "late train home",
    "tired but happy", "market haul",
]  # fmt: skip
CHATTY = [
    "Honestly the best part of my weekend was this slow breakfast on the balcony ☀️🥐 what does your perfect "
    "Sunday morning look like? Tell me everything! #slowliving #weekendvibes",
    "We walked for hours through the old town today and I still want to go back tomorrow 🌿✨ Have you ever "
    "fallen in love with a city in one afternoon? #travelgram #wanderlust",
    "Tried a brand new recipe tonight and it turned out so much better than I expected 🍝💛 Should I share "
    "the recipe with you all? #foodie #homecooking",
    "Golden hour on the river is my favourite kind of therapy, the light just makes everything feel softer "
    "🌅💫 Where do you go when you need to slow down? #goldenhour #selfcare",
    "Packed way too many outfits for a three day trip again and I regret absolutely nothing 👗✈️ Am I the "
    "only one who does this? #ootd #travelgram",
    "Coffee date with my best friend turned into a four hour conversation about everything and nothing ☕💕 "
    "Who is the friend you could talk to forever? #friendship #coffeetime",
    "Finally finished the book everyone told me to read and wow, I cried on the train 📚😭 What should I "
    "read next? #bookstagram #reading",
    "Sunday market finds: fresh flowers, too much cheese and a tiny vintage mirror 🌸🧀 What is your best "
    "market find ever? #weekendvibes #slowliving",
]  # fmt: skip


async def _managed(http: httpx.AsyncClient, tenant: Tenant, name: str) -> str:
    created = await http.post("/api/v1/profiles", json={"name": name, "type": "managed"}, headers=tenant.headers)
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


async def _add(http: httpx.AsyncClient, tenant: Tenant, profile_id: str, texts: list[str]) -> dict[str, Any]:
    response = await http.post(
        f"/api/v1/profiles/{profile_id}/voice-samples", json={"samples": [{"text": t} for t in texts]},
        headers=tenant.headers,
    )  # fmt: skip
    assert response.status_code == 201, response.text
    return dict(response.json())


async def _captions(
    http: httpx.AsyncClient, tenant: Tenant, profile_id: str, image_url: str, **extra: Any
) -> dict[str, Any]:
    started = await http.post(
        f"/api/v1/profiles/{profile_id}/generate-caption", json={"imageUrl": image_url, "count": 3, **extra},
        headers=tenant.headers,
    )  # fmt: skip
    assert started.status_code in (200, 202), started.text
    job = started.json()
    if job["status"] != "completed":
        job = await wait_for_job(http, tenant, job["id"])
    assert job["status"] == "completed", job
    return dict(job["result"])


def _full(caption: dict[str, Any]) -> str:
    return " ".join([caption["text"], *caption["hashtags"]])


async def test_captions_follow_their_own_corpus(http: httpx.AsyncClient, tenant: Tenant) -> None:
    terse_id = await _managed(http, tenant, "Terse")
    chatty_id = await _managed(http, tenant, "Chatty")
    terse_stats = await _add(http, tenant, terse_id, TERSE)
    chatty_stats = await _add(http, tenant, chatty_id, CHATTY)
    assert terse_stats["sampleCount"] == 12 and terse_stats["bySource"]["manual"] == 12
    assert terse_stats["bySource"]["imported"] == 0
    assert terse_stats["stats"]["emojiPerPost"] == 0 and terse_stats["stats"]["questionShare"] == 0
    assert chatty_stats["stats"]["emojiPerPost"] == pytest.approx(2.0)
    assert chatty_stats["stats"]["questionShare"] == 1.0
    assert chatty_stats["stats"]["meanLength"] > 4 * terse_stats["stats"]["meanLength"]
    assert {"value": "#travelgram", "count": 2} in chatty_stats["stats"]["topHashtags"]
    assert len(chatty_stats["recentSamples"]) == 8 and chatty_stats["recentSamples"][0]["source"] == "manual"

    image = png_bytes(320, 480, (200, 140, 60))
    with WireServer(lambda request: Reply(200, image, {"Content-Type": "image/png"})) as server:
        terse = await _captions(http, tenant, terse_id, f"{server.base_url}/photo.png")
        chatty = await _captions(http, tenant, chatty_id, f"{server.base_url}/photo.png")

    assert terse["imageDescription"] == chatty["imageDescription"] and "portrait" in terse["imageDescription"]
    assert len(terse["captions"]) == len(chatty["captions"]) == 3
    assert {g["id"] for g in terse["grounding"]}.isdisjoint({g["id"] for g in chatty["grounding"]})
    assert all(g["text"] in TERSE for g in terse["grounding"]) and all(g["text"] in CHATTY for g in chatty["grounding"])
    similarities = [g["similarity"] for g in terse["grounding"]]
    assert similarities == sorted(similarities, reverse=True)

    terse_style = style_of([_full(c) for c in terse["captions"]])
    chatty_style = style_of([_full(c) for c in chatty["captions"]])
    assert terse_style.lowercase == 1.0 and chatty_style.lowercase == 0.0
    assert terse_style.emoji == 0 and chatty_style.emoji >= 1
    assert chatty_style.questions == 1.0 and terse_style.questions == 0
    assert chatty_style.words > 2 * terse_style.words

    # voiceMatch: each profile's captions sit closer to their own corpus than to the other's.
    corpora = {"terse": TERSE, "chatty": CHATTY}
    vectors = {name: embed_now(texts) for name, texts in corpora.items()}
    for own, result in (("terse", terse), ("chatty", chatty)):
        other = "chatty" if own == "terse" else "terse"
        captions = [_full(c) for c in result["captions"]]
        caption_vectors = embed_now(captions)
        mine = [voice_match(c, v, corpora[own], vectors[own]) for c, v in zip(captions, caption_vectors, strict=True)]
        theirs = [
            voice_match(c, v, corpora[other], vectors[other]) for c, v in zip(captions, caption_vectors, strict=True)
        ]
        assert sum(mine) / 3 == pytest.approx(result["voiceMatch"], abs=0.01)
        assert sum(mine) / 3 > sum(theirs) / 3 + 0.1
        assert 0 <= result["voiceMatch"] <= 1


async def test_platform_limit_and_an_empty_corpus(http: httpx.AsyncClient, tenant: Tenant) -> None:
    empty_id = await _managed(http, tenant, "Empty")
    refused = await http.post(
        f"/api/v1/profiles/{empty_id}/generate-caption", json={"imageUrl": "http://127.0.0.1:9/x.png"},
        headers=tenant.headers,
    )  # fmt: skip
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "voice_corpus_empty"
    assert "voice-samples" in refused.json()["error"]["message"]

    long_id = await _managed(http, tenant, "Long")
    await _add(http, tenant, long_id, [t * 3 for t in CHATTY[:4]])
    image = png_bytes(64, 64)
    with WireServer(lambda request: Reply(200, image, {"Content-Type": "image/png"})) as server:
        result = await _captions(http, tenant, long_id, f"{server.base_url}/p.png", platform="x")
    assert all(len(_full(c)) <= 280 for c in result["captions"])


async def test_bad_caption_requests_are_422_naming_the_field(http: httpx.AsyncClient, tenant: Tenant) -> None:
    profile_id = await _managed(http, tenant, "Fields")
    await _add(http, tenant, profile_id, TERSE[:3])
    both = await http.post(
        f"/api/v1/profiles/{profile_id}/generate-caption",
        json={"imageUrl": "http://127.0.0.1:9/x.png", "contentId": "cnt_x"}, headers=tenant.headers,
    )  # fmt: skip
    assert both.status_code == 422
    too_many = await http.post(
        f"/api/v1/profiles/{profile_id}/generate-caption",
        json={"imageUrl": "http://127.0.0.1:9/x.png", "count": 4}, headers=tenant.headers,
    )  # fmt: skip
    assert too_many.status_code == 422
    assert too_many.json()["error"]["details"][0]["field"] == "count"
    blank = await http.post(
        f"/api/v1/profiles/{profile_id}/voice-samples", json={"samples": [{"text": ""}]}, headers=tenant.headers
    )
    assert blank.status_code == 422
    stats = (await http.get(f"/api/v1/profiles/{profile_id}/voice-stats", headers=tenant.headers)).json()
    assert stats["sampleCount"] == 3
