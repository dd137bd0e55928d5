"""The embedded text provider writes grounded, steerable captions and valid wardrobe items and directions."""

from __future__ import annotations

from typing import Any

import pytest

from providers.text.base import CaptionRequest, CaptionResult, ContentDirectionRequest, WardrobeRequest
from providers.text.local.lexicon import emojis_in, word_count
from providers.text.local.provider import LocalTextProvider

PERSON: dict[str, Any] = {
    "influencer_name": "Mia Torres",
    "personality": "warm, witty coffee lover and amateur runner",
    "bio": "Barista turned travel writer based in Lisbon",
    "mood": "cozy",
    "setting": "rooftop bar",
    "time_of_day": "evening",
    "scene_description": "sipping an iced latte while the sun goes down over the city",
    "content_directions": ["Slow Sundays"],
}
LOWERCASE_VOICE = [
    "slow mornings are my favourite thing ✨ obsessed #slowliving",
    "obsessed with this light ✨ honestly #slowliving #goldenhour",
    "coffee, books, repeat ✨ obsessed #slowliving",
]
FORMAL_VOICE = [
    "Today I presented our quarterly results at the Lisbon innovation summit. It was a privilege to share "
    "the stage with such thoughtful people. Thank you to everyone who attended.",
    "Grateful for a productive week with the team. We shipped the new onboarding flow and the feedback has "
    "been encouraging so far.",
]


async def caption(**overrides: Any) -> CaptionResult:
    return await LocalTextProvider().caption(CaptionRequest.model_validate({**PERSON, **overrides}))


class TestCaptions:
    async def test_caption_is_grounded_in_setting_scene_time_and_mood(self) -> None:
        result = await caption(seed=3)
        text = result.caption.lower()
        assert "iced latte" in text
        assert "evening" in text or "rooftop" in text
        assert "#rooftopbar" in result.hashtags
        assert "#cozyseason" in result.hashtags
        assert all(tag.startswith("#") for tag in result.hashtags)

    async def test_personality_shows_in_hashtags(self) -> None:
        result = await caption(seed=1)
        assert {"#coffeetime", "#fitness", "#relatable"} & set(
            result.hashtags
        ) or "coffee" in result.caption.lower()

    async def test_content_direction_is_mentioned(self) -> None:
        result = await caption(seed=2, instruction="longer")
        assert "slow sundays" in result.caption.lower() or "#slowsundays" in result.hashtags

    async def test_same_seed_gives_the_same_caption(self) -> None:
        assert await caption(seed=7) == await caption(seed=7)

    async def test_different_seeds_give_different_captions(self) -> None:
        captions = {(await caption(seed=seed)).caption for seed in range(6)}
        assert len(captions) == 6

    async def test_new_caption_differs_from_the_previous_one(self) -> None:
        first = await caption(seed=4)
        again = await caption(seed=4, previous_caption=first.caption)
        assert again.caption != first.caption

    async def test_shorter_and_longer(self) -> None:
        base = word_count((await caption(seed=5)).caption)
        assert word_count((await caption(seed=5, instruction="shorter")).caption) < base
        assert word_count((await caption(seed=5, instruction="make it longer")).caption) > base

    async def test_add_a_question(self) -> None:
        result = await caption(seed=5, instruction="add a question")
        assert result.caption.rstrip().rstrip("".join(emojis_in(result.caption))).rstrip().endswith("?")

    async def test_no_emojis_even_when_the_voice_uses_them(self) -> None:
        result = await caption(seed=5, voice_samples=LOWERCASE_VOICE, instruction="no emojis")
        assert emojis_in(result.caption) == []
        assert "✨" not in result.caption

    async def test_more_and_fewer_hashtags(self) -> None:
        base = len((await caption(seed=6)).hashtags)
        assert len((await caption(seed=6, instruction="more hashtags")).hashtags) > base
        assert 0 < len((await caption(seed=6, instruction="fewer hashtags")).hashtags) < base
        assert (await caption(seed=6, instruction="no hashtags")).hashtags == []

    async def test_formal_and_casual_registers(self) -> None:
        formal = await caption(seed=8, instruction="more formal")
        casual = await caption(seed=8, instruction="casual")
        assert emojis_in(formal.caption) == []
        assert "!" not in formal.caption
        assert not any(word in formal.caption for word in ("I'm", "can't", "Honestly", "Lowkey"))
        assert formal.caption[0].isupper()
        assert casual.caption != formal.caption
        assert emojis_in(casual.caption)

    async def test_unknown_instruction_still_changes_the_caption_deterministically(self) -> None:
        base = await caption(seed=9)
        spooky = await caption(seed=9, instruction="make it spooky")
        assert spooky.caption != base.caption
        assert "spooky" in spooky.caption.lower()
        assert spooky == await caption(seed=9, instruction="make it spooky")

    async def test_mention_instruction_adds_the_topic(self) -> None:
        result = await caption(seed=9, instruction="mention the new playlist")
        assert "new playlist" in result.caption.lower()

    async def test_voice_samples_set_casing_emoji_words_and_hashtags(self) -> None:
        result = await caption(seed=1, voice_samples=LOWERCASE_VOICE)
        assert result.caption == result.caption.lower()
        assert "✨" in result.caption
        assert "obsessed" in result.caption
        assert result.hashtags[0] == "#slowliving"
        # The samples average about six words; the caption stays short like them.
        assert word_count(result.caption) < word_count((await caption(seed=1)).caption)

    async def test_formal_voice_gives_long_emoji_free_captions(self) -> None:
        result = await caption(seed=1, voice_samples=FORMAL_VOICE)
        short = await caption(seed=1, voice_samples=LOWERCASE_VOICE)
        assert emojis_in(result.caption) == []
        assert word_count(result.caption) > word_count(short.caption)
        assert result.caption[0].isupper()

    async def test_exclamations_are_mimicked(self) -> None:
        samples = [
            "Best day ever!! Cannot stop smiling!!",
            "New drop is live!! Go go go!!",
            "Sunday reset done!!",
        ]
        result = await caption(seed=2, voice_samples=samples)
        assert "!" in result.caption


class TestWardrobe:
    async def test_exact_count_of_valid_spread_items(self) -> None:
        result = await LocalTextProvider().wardrobe(
            WardrobeRequest(base_prompt="28-year-old woman, minimalist style", personality="calm", count=6)
        )
        assert len(result.items) == 6
        assert len({item.category for item in result.items}) == 6
        assert len({item.name.lower() for item in result.items}) == 6
        assert all(item.description and item.colors for item in result.items)

    async def test_colours_come_from_the_prompt(self) -> None:
        result = await LocalTextProvider().wardrobe(
            WardrobeRequest(base_prompt="loves navy and cream, classic style", count=5, seed=3)
        )
        assert {color for item in result.items for color in item.colors} <= {"navy", "cream"}
        assert all(item.colors[0] in item.name.lower() for item in result.items)

    async def test_existing_names_are_avoided(self) -> None:
        request = WardrobeRequest(base_prompt="navy minimalist wardrobe", count=4, seed=1)
        first = await LocalTextProvider().wardrobe(request)
        existing = [item.name for item in first.items]
        second = await LocalTextProvider().wardrobe(request.model_copy(update={"existing": existing}))
        assert len(second.items) == 4
        assert not {item.name.lower() for item in second.items} & {name.lower() for name in existing}

    async def test_menswear_has_no_dresses(self) -> None:
        result = await LocalTextProvider().wardrobe(
            WardrobeRequest(base_prompt="young man, streetwear", count=10, seed=2)
        )
        assert all(item.category != "dress" for item in result.items)
        assert len(result.items) == 10

    @pytest.mark.parametrize("count", [1, 13, 30])
    async def test_any_count_is_honoured_with_unique_names(self, count: int) -> None:
        result = await LocalTextProvider().wardrobe(WardrobeRequest(base_prompt="red", count=count))
        assert len(result.items) == count
        assert len({item.name for item in result.items}) == count


class TestContentDirections:
    async def test_exact_count_distinct_titles_grounded_in_the_prompt(self) -> None:
        prompt = "A week of cozy autumn content in Paris cafes, focus on books and coffee"
        result = await LocalTextProvider().content_directions(
            ContentDirectionRequest(prompt=prompt, profile_name="Mia", count=5)
        )
        assert len(result.directions) == 5
        assert len({direction.title for direction in result.directions}) == 5
        for direction in result.directions:
            text = f"{direction.title} {direction.description}".lower()
            assert any(word in text for word in ("autumn", "paris", "cafes", "books", "coffee"))
            assert direction.moods == ["cozy"]
            assert direction.hashtags

    async def test_seed_changes_the_formats(self) -> None:
        request = ContentDirectionRequest(prompt="gym routines and healthy meals", count=3)
        first = await LocalTextProvider().content_directions(request)
        other = await LocalTextProvider().content_directions(request.model_copy(update={"seed": 5}))
        assert first == await LocalTextProvider().content_directions(request)
        assert [d.title for d in first.directions] != [d.title for d in other.directions]

    @pytest.mark.parametrize("count", [1, 10])
    async def test_bare_prompt_still_gives_count_directions(self, count: int) -> None:
        result = await LocalTextProvider().content_directions(
            ContentDirectionRequest(prompt="ideas", count=count)
        )
        assert len(result.directions) == count
        assert len({direction.title for direction in result.directions}) == count
        assert all("ideas" in direction.title.lower() for direction in result.directions)
