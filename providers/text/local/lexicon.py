"""Small text tools the local text provider shares: tokens, stopwords, emoji, hashtags, seeded randomness."""

from __future__ import annotations

import re
import unicodedata

from providers.text.local.grammar import PLACE_NOUNS

STOPWORDS = frozenset(
    "a an the and or but of in on at to for with by from into over under near about as is are was were be "
    "been being am i me my mine we us our you your he him his she her they them their it its this that "
    "these those there here so very really just too also not no yes do does did done have has had will "
    "would can could should may might must shall up down out off than then when while where who whom what "
    "which how why all any some each every more most much many few lot lots like get got make made let lets "
    "one two three new now today day days week weeks post posts content series ideas idea theme themes "
    "photo photos video videos please want need focus around things thing stuff kind sort way ways via per "
    "using use s t ll re ve d m".split()
)
SLANG = ("ngl", "tbh", "lowkey", "lol", "fr", "omg", "obsessed", "vibes", "literally", "bestie", "slay")
APOSTROPHES = "'\u2019"
_TOKEN = re.compile(rf"[A-Za-z][A-Za-z{APOSTROPHES}-]*")
# One emoji: a flag pair, or a pictograph with optional variation selector, skin tone and ZWJ continuation.
EMOJI = re.compile(
    "(?:[\U0001f1e6-\U0001f1ff]{2}"
    "|[\U0001f300-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2300-\u23ff](?:\ufe0f)?(?:[\U0001f3fb-\U0001f3ff])?"
    "(?:\u200d[\U0001f300-\U0001faff\u2600-\u27bf\u2640\u2642](?:\ufe0f)?)*)"
)
HASHTAG = re.compile(r"#(\w+)")


def fold(text: str) -> str:
    """Lower case with accents removed, so "Café" and "cafe" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def tokens(text: str) -> list[str]:
    """Words as written (case kept), without hashtags or emoji."""
    return _TOKEN.findall(HASHTAG.sub(" ", text))


def content_words(text: str) -> list[str]:
    """Lower-case, de-duplicated words that carry meaning, in order of first appearance."""
    seen: dict[str, None] = {}
    for token in tokens(text):
        word = fold(token).strip(APOSTROPHES + "-")
        if len(word) >= 3 and word not in STOPWORDS:
            seen.setdefault(word, None)
    return list(seen)


def emojis_in(text: str) -> list[str]:
    return EMOJI.findall(text)


def strip_emojis(text: str) -> str:
    cleaned = EMOJI.sub("", text).replace("\ufe0f", "").replace("\u200d", "")
    return re.sub(r"[ \t]{2,}", " ", re.sub(r"\s+([.,!?])", r"\1", cleaned)).strip()


def hashtag(text: str) -> str | None:
    """``#wordsjoined`` from any phrase, or None when nothing usable is left."""
    joined = "".join(char for char in fold(text) if char.isalnum())
    return f"#{joined}" if 3 <= len(joined) <= 40 else None


def hashtags_in(text: str) -> list[str]:
    return [f"#{fold(tag)}" for tag in HASHTAG.findall(text)]


def sentence_case(text: str) -> str:
    for index, char in enumerate(text):
        if char.isalpha():
            return text[:index] + char.upper() + text[index + 1 :]
    return text


def with_article(phrase: str) -> str:
    """ "rooftop bar" → "the rooftop bar", "Paris cafe" → "the Paris cafe"; names ("Central Park") and phrases
    with a determiner stay as they are."""
    phrase = phrase.strip()
    first = phrase.split(" ", 1)[0].lower() if phrase else ""
    if not phrase or first in {"the", "a", "an", "my", "our", "her", "his", "their", "home"}:
        return phrase
    # "Central Park" is a name; "Paris cafe" is a cafe, named after its city, and takes an article.
    if phrase[0].isupper() and phrase.split()[-1] not in PLACE_NOUNS:
        return phrase
    return f"the {phrase}"


def word_count(text: str) -> int:
    return len(tokens(text))


def split_sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?…])\s+|\n+", text.strip())
    return [part.strip() for part in parts if part.strip()]
