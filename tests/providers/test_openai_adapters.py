"""The OpenAI-compatible image, text and vision adapters against a real local server on the wire."""

from __future__ import annotations

import base64
import io
import json
from collections.abc import AsyncIterator, Iterator

import pytest
from PIL import Image

from core.errors import (
    ContentPolicyError,
    PermanentProviderError,
    ProviderAuthError,
    ProviderError,
    TransientProviderError,
)
from providers.images.base import ImageRequest
from providers.images.openai import OpenAIImageProvider
from providers.openai_compat import OpenAICompatClient
from providers.text.base import CaptionRequest, ContentDirectionRequest, WardrobeRequest
from providers.text.openai import OpenAITextProvider
from providers.vision.base import PhotoInput
from providers.vision.openai import OpenAIVisionProvider
from tests.providers.wire_servers import OpenAIFake, Reply, chat_completion, openai_error, png_bytes


@pytest.fixture
def fake() -> Iterator[OpenAIFake]:
    fake = OpenAIFake()
    with fake.server:
        yield fake


@pytest.fixture
async def client(fake: OpenAIFake) -> AsyncIterator[OpenAICompatClient]:
    client = OpenAICompatClient(base_url=f"{fake.server.base_url}/v1", api_key=fake.api_key, timeout=0.5)
    yield client
    await client.aclose()


def chat_bodies(fake: OpenAIFake) -> list[dict]:
    return [r.json() for r in fake.server.requests_to("POST", "/v1/chat/completions")]


class TestOpenAIImageProvider:
    async def test_compatible_model_gets_exact_size_seed_and_full_prompt(
        self, fake: OpenAIFake, client: OpenAICompatClient
    ) -> None:
        provider = OpenAIImageProvider(client, model="flux-dev")
        request = ImageRequest(
            prompt="a woman on a balcony",
            seed=42,
            width=640,
            height=480,
            view="profile",
            wardrobe=["red scarf", "denim jacket"],
            grade_id="golden_hour",
            negative_prompt="text, watermark",
        )

        image = await provider.generate(request)

        (sent,) = fake.server.requests_to("POST", "/v1/images/generations")
        body = sent.json()
        assert sent.headers["authorization"] == "Bearer sk-test"
        assert (body["model"], body["size"], body["n"], body["seed"]) == ("flux-dev", "640x480", 1, 42)
        assert body["response_format"] == "b64_json"
        for fragment in (
            "a woman on a balcony",
            "side profile view",
            "wearing red scarf, denim jacket",
            "golden hour",
            "Avoid: text, watermark",
        ):
            assert fragment in body["prompt"]
        assert (image.width, image.height, image.content_type, image.model) == (
            640,
            480,
            "image/png",
            "flux-dev",
        )
        assert Image.open(io.BytesIO(image.data)).size == (640, 480)

    async def test_openai_model_gets_a_supported_size_and_no_unknown_fields(
        self, fake: OpenAIFake, client: OpenAICompatClient
    ) -> None:
        provider = OpenAIImageProvider(client, model="gpt-image-1")

        image = await provider.generate(ImageRequest(prompt="portrait", seed=7, width=1080, height=1350))

        body = fake.server.requests_to("POST", "/v1/images/generations")[0].json()
        assert body["size"] == "1024x1536"
        assert "seed" not in body and "response_format" not in body
        # The size we report is the one we got, not the one we asked for.
        assert (image.width, image.height) == (1024, 1536)

    async def test_url_answer_is_downloaded_without_the_api_key(
        self, fake: OpenAIFake, client: OpenAICompatClient
    ) -> None:
        fake.image_mode = "url"
        provider = OpenAIImageProvider(client, model="dall-e-3")

        image = await provider.generate(ImageRequest(prompt="city at night", seed=1, width=1792, height=1024))

        (download,) = fake.server.requests_to("GET", "/files/.*")
        assert "authorization" not in download.headers
        assert image.data == fake.files["img0.png"]
        assert (image.width, image.height) == (1792, 1024)

    @pytest.mark.parametrize(
        ("reply", "error_type", "status"),
        [
            (
                openai_error(429, "Rate limit reached", headers={"Retry-After": "7"}),
                TransientProviderError,
                429,
            ),
            (openai_error(500, "The server had an error"), TransientProviderError, 500),
            (openai_error(400, "Invalid size"), PermanentProviderError, 400),
            (openai_error(401, "Incorrect API key provided"), ProviderAuthError, 401),
            (
                openai_error(
                    400, "Your request was rejected by our safety system", "content_policy_violation"
                ),
                ContentPolicyError,
                400,
            ),
        ],
    )
    async def test_error_statuses_map_to_typed_errors(
        self,
        fake: OpenAIFake,
        client: OpenAICompatClient,
        reply: Reply,
        error_type: type[ProviderError],
        status: int,
    ) -> None:
        fake.queue.append(reply)
        provider = OpenAIImageProvider(client, model="gpt-image-1")

        with pytest.raises(ProviderError) as caught:
            await provider.generate(ImageRequest(prompt="x", seed=0))

        assert type(caught.value) is error_type
        assert caught.value.status == status
        if status == 429:
            assert caught.value.retry_after == 7

    async def test_wrong_key_is_an_auth_error(self, fake: OpenAIFake) -> None:
        client = OpenAICompatClient(base_url=f"{fake.server.base_url}/v1", api_key="sk-wrong", timeout=2)
        try:
            with pytest.raises(ProviderAuthError, match="Incorrect API key"):
                await OpenAIImageProvider(client, model="gpt-image-1").generate(
                    ImageRequest(prompt="x", seed=0)
                )
        finally:
            await client.aclose()

    async def test_server_slower_than_timeout_is_transient(
        self, fake: OpenAIFake, client: OpenAICompatClient
    ) -> None:
        fake.queue.append(Reply.of_json({"data": []}, delay=1.5))

        with pytest.raises(TransientProviderError, match="timed out"):
            await OpenAIImageProvider(client, model="gpt-image-1").generate(ImageRequest(prompt="x", seed=0))

    async def test_answer_that_is_not_an_image_is_permanent(
        self, fake: OpenAIFake, client: OpenAICompatClient
    ) -> None:
        fake.queue.append(Reply.of_json({"data": [{"b64_json": base64.b64encode(b"<html>").decode()}]}))

        with pytest.raises(PermanentProviderError, match="unreadable image"):
            await OpenAIImageProvider(client, model="gpt-image-1").generate(ImageRequest(prompt="x", seed=0))


class TestOpenAITextProvider:
    async def test_caption_sends_strict_schema_and_voice_and_validates_answer(
        self, fake: OpenAIFake, client: OpenAICompatClient
    ) -> None:
        provider = OpenAITextProvider(client, model="gpt-4o-mini")
        request = CaptionRequest(
            influencer_name="Mia",
            personality="warm, witty",
            mood="cozy",
            seed=9,
            voice_samples=["coffee first, feelings later", "rain again? fine."],
        )

        result = await provider.caption(request)

        (body,) = chat_bodies(fake)
        assert body["model"] == "gpt-4o-mini" and body["seed"] == 9
        assert [m["role"] for m in body["messages"]] == ["system", "user"]
        user = body["messages"][1]["content"]
        assert "Influencer: Mia" in user and "- coffee first, feelings later" in user and "Mood: cozy" in user
        response_format = body["response_format"]
        assert response_format["type"] == "json_schema"
        assert response_format["json_schema"]["strict"] is True
        schema = response_format["json_schema"]["schema"]
        assert schema["additionalProperties"] is False and set(schema["required"]) == {"caption", "hashtags"}
        assert "minLength" not in json.dumps(schema)
        assert result.caption == "Golden light, slow Sunday." and result.hashtags == [
            "#sunday",
            "#goldenhour",
        ]

    async def test_wardrobe_and_directions_are_trimmed_to_the_count_asked(
        self, fake: OpenAIFake, client: OpenAICompatClient
    ) -> None:
        provider = OpenAITextProvider(client, model="m")

        wardrobe = await provider.wardrobe(
            WardrobeRequest(base_prompt="tall, dark hair", count=3, existing=["Old coat"])
        )
        directions = await provider.content_directions(ContentDirectionRequest(prompt="coffee", count=2))

        assert [item.name for item in wardrobe.items] == ["Linen shirt 0", "Linen shirt 1", "Linen shirt 2"]
        assert len(directions.directions) == 2
        wardrobe_body, _ = chat_bodies(fake)
        assert "- Old coat" in wardrobe_body["messages"][1]["content"]
        item_schema = wardrobe_body["response_format"]["json_schema"]["schema"]["$defs"]["WardrobeItem"]
        assert item_schema["additionalProperties"] is False

    async def test_one_invalid_answer_is_retried_once(
        self, fake: OpenAIFake, client: OpenAICompatClient
    ) -> None:
        fake.chat_answers = ["Sure! Here is your caption:", '```json\n{"caption": "ok", "hashtags": []}\n```']

        result = await OpenAITextProvider(client, model="m").caption(CaptionRequest(influencer_name="Mia"))

        assert result.caption == "ok"
        assert len(chat_bodies(fake)) == 2

    @pytest.mark.parametrize(
        "answers",
        [
            ["not json", "{still not json"],
            ['{"items": [{"name": "Hat", "category": "hat"}]}'] * 2,  # valid JSON, category outside the enum
        ],
    )
    async def test_two_invalid_answers_are_a_permanent_error(
        self, fake: OpenAIFake, client: OpenAICompatClient, answers: list[str]
    ) -> None:
        fake.chat_answers = list(answers)

        with pytest.raises(PermanentProviderError, match="WardrobeResult"):
            await OpenAITextProvider(client, model="m").wardrobe(WardrobeRequest(base_prompt="x"))
        assert len(chat_bodies(fake)) == 2

    @pytest.mark.parametrize(
        "reply",
        [
            chat_completion(None, refusal="I can't help with that request."),
            chat_completion("", finish_reason="content_filter"),
        ],
    )
    async def test_refusals_are_content_policy_errors(
        self, fake: OpenAIFake, client: OpenAICompatClient, reply: Reply
    ) -> None:
        fake.queue.append(reply)

        with pytest.raises(ContentPolicyError):
            await OpenAITextProvider(client, model="m").caption(CaptionRequest(influencer_name="Mia"))
        assert len(chat_bodies(fake)) == 1  # A refusal is not retried.


class TestOpenAIVisionProvider:
    async def test_photos_go_as_downscaled_data_uris_and_features_are_measured(
        self, fake: OpenAIFake, client: OpenAICompatClient
    ) -> None:
        portrait = PhotoInput(
            data=png_bytes(1200, 2400, (250, 250, 250)), content_type="image/png", filename="a.png"
        )
        square = PhotoInput(data=png_bytes(300, 300, (20, 40, 200)), content_type="image/png")

        analysis = await OpenAIVisionProvider(client, model="gpt-4o-mini").analyze([portrait, square])

        (body,) = chat_bodies(fake)
        parts = body["messages"][1]["content"]
        uris = [p["image_url"]["url"] for p in parts if p["type"] == "image_url"]
        assert len(uris) == 2 and all(u.startswith("data:image/jpeg;base64,") for u in uris)
        sent = Image.open(io.BytesIO(base64.b64decode(uris[0].split(",", 1)[1])))
        assert sent.size == (512, 1024)
        first, second = analysis.photos
        assert (first.width, first.height, first.orientation) == (1200, 2400, "portrait")
        assert first.brightness > 0.9 and first.color_names == ["white"]
        assert (second.orientation, second.color_names) == ("square", ["blue"])
        assert analysis.base_prompt.startswith("woman in her late twenties")
        assert analysis.wardrobe_suggestions[0].name == "Denim jacket"

    async def test_unreadable_photo_fails_before_any_model_call(
        self, fake: OpenAIFake, client: OpenAICompatClient
    ) -> None:
        photo = PhotoInput(data=b"definitely not a photo", content_type="image/jpeg", filename="x.jpg")

        with pytest.raises(PermanentProviderError, match=r"x\.jpg"):
            await OpenAIVisionProvider(client, model="m").analyze([photo])
        assert chat_bodies(fake) == []
