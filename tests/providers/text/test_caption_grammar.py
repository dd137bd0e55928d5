"""The local caption writer's grammar, checked over thousands of generated captions: "a"/"an" by the next
word's sound, capitals at sentence starts and on names, and an article before a place named after a city."""

from __future__ import annotations

import itertools
import re

import pytest

from providers.text.base import CaptionRequest
from providers.text.local.grammar import article_for, fix_articles, place_articles, polish
from providers.text.local.lexicon import with_article
from providers.text.local.phrasebook import MOODS
from providers.text.local.provider import write_caption

SETTINGS = ["Paris cafe", "rooftop bar", "Central Park", "Tokyo street market", "beach", "London", "Lisbon tram stop"]
SCENES = ["", "Mia Laurent at Paris cafe sipping espresso", "a photo of her walking along the Seine",
          "Laurent reading in the park", "unhurried breakfast on a balcony"]  # fmt: skip
NAMES = ["Mia Laurent", "Ava Chen"]
BIOS = ["", "Based in Paris, coffee lover", "living in New York, runner"]
TIMES = ["morning", "afternoon", "evening", "night", None]
PROPER = ["Mia", "Laurent", "Ava", "Chen", "Paris", "London", "Lisbon", "Tokyo", "Seine", "New York", "Central Park"]


def _captions() -> list[tuple[CaptionRequest, str]]:
    out = []
    grid = itertools.product([*MOODS, None], SETTINGS, SCENES, NAMES, BIOS, TIMES)
    for index, (mood, setting, scene, name, bio, time_of_day) in enumerate(grid):
        if index % 5:  # every fifth combination: ~2,400 captions, every value of every axis still covered
            continue
        request = CaptionRequest(
            influencer_name=name, mood=mood, setting=setting, scene_description=scene, bio=bio,
            time_of_day=time_of_day, seed=index, personality="warm, curious, coffee lover, travel",
        )  # fmt: skip
        out.append((request, write_caption(request).caption))
    return out


CAPTIONS = _captions()


def _bad_articles(caption: str) -> list[str]:
    wrong = []
    for article, word in re.findall(r"\b([Aa]n?) ([A-Za-z][\w'-]*)", caption):
        if article.lower() != article_for(word):
            wrong.append(f"{article} {word}")
    return wrong


def test_many_captions_were_generated_across_every_axis() -> None:
    assert len(CAPTIONS) > 2000
    assert {r.setting for r, _ in CAPTIONS} == set(SETTINGS)
    assert {r.mood for r, _ in CAPTIONS} == {*MOODS, None}


def test_no_caption_puts_a_before_a_vowel_sound_or_an_before_a_consonant() -> None:
    # Moods whose adjectives start with a vowel ("unhurried", "electric", "easy"), without a setting, so the
    # "A {adj} afternoon" openers come up often.
    vowel_moods = [
        write_caption(CaptionRequest(influencer_name="Mia Laurent", mood=mood, time_of_day=tod, seed=seed)).caption
        for mood in ("relaxed", "energetic", "creative", "adventurous")
        for tod in ("afternoon", "evening", "night", None)
        for seed in range(30)
    ]
    everything = [c for _, c in CAPTIONS] + vowel_moods
    assert [(c, _bad_articles(c)) for c in everything if _bad_articles(c)] == []
    vowel_adjectives = re.compile(r"\b[Aa]n (unhurried|electric|easy|inspired|imaginative|adventurous|unstoppable)\b")
    assert sum(1 for c in vowel_moods if vowel_adjectives.search(c)) >= 20


def test_names_and_places_keep_their_capitals() -> None:
    bad = [c for _, c in CAPTIONS for name in PROPER if re.search(rf"(?<![#\w]){name.lower()}\b", c)]
    assert bad == []
    assert any("Picture this: Mia Laurent" in c for _, c in CAPTIONS)


def test_every_sentence_starts_with_a_capital() -> None:
    bad = [c for _, c in CAPTIONS for s in re.split(r"(?<=[.!?])\s+", c) if s[:1].isalpha() and s[:1].islower()]
    assert bad == []


def test_a_place_named_after_a_city_takes_an_article() -> None:
    unarticled = re.compile(r"\b(?:at|from|to|in) (?:Paris cafe|Tokyo street market|Lisbon tram stop)")
    assert [c for _, c in CAPTIONS if unarticled.search(c)] == []
    assert any("the Paris cafe" in c for _, c in CAPTIONS)
    # A name stays bare: "at Central Park", never "at the Central Park".
    assert not any("the Central Park" in c for _, c in CAPTIONS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A unhurried evening at Paris cafe.", "An unhurried evening at the Paris cafe."),
        ("an cozy night, a hour later", "A cozy night, an hour later"),
        ("a unicorn, an euro trip, an one-off", "A unicorn, a euro trip, a one-off"),
        ("Picture this: mia Laurent in paris", "Picture this: Mia Laurent in Paris"),
        ("i think i'm done. and you?", "I think I'm done. And you?"),
    ],
)
def test_polish_fixes_what_readers_notice(text: str, expected: str) -> None:
    assert polish(text, ["Mia", "Laurent", "Paris"], lowercase=False) == expected


def test_a_lower_case_voice_keeps_its_lower_case_but_gets_its_articles_right() -> None:
    assert polish("a unhurried evening in paris", ["Paris"], lowercase=True) == "an unhurried evening in paris"


def test_article_helpers() -> None:
    assert with_article("Paris cafe") == "the Paris cafe"
    assert with_article("Central Park") == "Central Park"
    assert with_article("rooftop bar") == "the rooftop bar"
    assert place_articles("lunch at Tokyo street market") == "lunch at the Tokyo street market"
    assert place_articles("dinner at Paris tonight") == "dinner at Paris tonight"
    assert fix_articles("A FAQ and a MBA") == "An FAQ and an MBA"


def test_a_lowercase_voice_corpus_still_yields_lowercase_captions() -> None:
    samples = ["coffee then more coffee", "sunday reset, slow and quiet", "new week. same me"]
    caption = write_caption(
        CaptionRequest(influencer_name="Mia Laurent", setting="Paris cafe", voice_samples=samples, seed=3)
    ).caption
    letters = [c for c in caption if c.isalpha()]
    assert letters and all(c.islower() for c in letters)
