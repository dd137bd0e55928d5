"""Hashtags for a caption: the creator's own recurring tags first, then tags grounded in the request."""

from __future__ import annotations

import random

from providers.images.local.colors import COLOR_WORDS
from providers.text.base import CaptionRequest
from providers.text.local import phrasebook as book
from providers.text.local.lexicon import content_words, hashtag
from providers.text.local.phrasebook import Mood, Trait
from providers.text.local.steer import Steer
from providers.text.local.voice import Voice

DEFAULT_COUNT = {"formal": 3, "casual": 6}
# Scene words that make poor hashtags: people, colours, and -ing verbs ("#sipping").
SCENE_SKIP = frozenset("woman man girl guy person people model lady wearing photo image".split()) | set(
    COLOR_WORDS
)
MAX_HASHTAGS = 30


def hashtag_count(steer: Steer, voice: Voice | None, register: str | None) -> int:
    base = round(voice.hashtag_rate) if voice is not None else DEFAULT_COUNT.get(register or "", 5)
    if steer.hashtags == 0:
        return 0
    if steer.hashtags > 1:
        return min(MAX_HASHTAGS, max(base * 2, base + 4))
    if steer.hashtags < 1:
        # "Fewer" must mean fewer than we would otherwise give, not merely a smaller multiple.
        return max(0, min(base - 1, round(base * steer.hashtags)))
    return min(MAX_HASHTAGS, base)


def choose_hashtags(
    request: CaptionRequest, steer: Steer, voice: Voice | None, mood: Mood, traits: list[Trait],
    register: str | None, rng: random.Random,
) -> list[str]:  # fmt: skip
    count = hashtag_count(steer, voice, register)
    grounded: list[str | None] = [*(voice.hashtags if voice else ())]
    grounded += [hashtag(phrase) for phrase in [*steer.topics, *steer.themes]]
    if request.setting:
        grounded.append(hashtag(request.setting))
        grounded += [hashtag(word) for word in content_words(request.setting) if len(word) >= 4]
    grounded += list(mood.hashtags)
    grounded += [hashtag(direction) for direction in request.content_directions]
    grounded += [tag for trait in traits for tag in trait.hashtags]
    grounded += list(book.TIME_HASHTAGS.get(request.time_of_day or "", ()))
    grounded += [hashtag(word) for word in _scene_nouns(request.scene_description)[:3]]
    generic = list(book.GENERIC_HASHTAGS)
    rng.shuffle(generic)
    unique = dict.fromkeys(tag for tag in [*grounded, *generic] if tag)
    return list(unique)[:count]


def _scene_nouns(scene: str) -> list[str]:
    return [word for word in content_words(scene) if word not in SCENE_SKIP and not word.endswith("ing")]
