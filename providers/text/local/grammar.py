"""The last pass over a composed caption, for what a reader notices first: "a" or "an" by the sound of the
next word, capitals at the start of sentences and on names (the creator's, places), and an article before
a place that is a common noun named after a city ("at the Paris cafe", not "at Paris cafe").

A creator whose voice is all lower case keeps it: then only the articles are fixed."""

from __future__ import annotations

import re
from collections.abc import Iterable

# Words spelt with a vowel that start with a consonant sound, and the reverse (silent h).
_A_BEFORE = ("uni", "use", "usu", "uti", "eu", "ewe", "one", "once", "ubiq", "uro")
_AN_BEFORE = ("hour", "honest", "honor", "honour", "heir")
_ARTICLE = re.compile(r"\b(a|an|A|An|AN)(\s+)([\"'(]?)([A-Za-z][\w'-]*)")
# Common nouns a place is made of: "Paris cafe", "Tokyo street market", "Lisbon tram stop".
PLACE_NOUNS = frozenset(
    "cafe café bar pub market street square park beach bakery restaurant bistro hotel library museum gallery "
    "studio gym rooftop terrace garden harbour harbor pier station stop tram metro subway bridge boulevard "
    "avenue alley shop boutique bookshop bookstore apartment flat loft kitchen balcony trail lake river "
    "coast hill hills mountain mountains forest office campus church cathedral temple palace castle villa "
    "club lounge diner deli spa pool arena stadium plaza mall courtyard vineyard".split()
)
_PREPOSITION = r"(at|from|in|to|near|outside|inside|by|around|into|toward|towards|across)"
_PLACE_PHRASE = re.compile(
    rf"\b{_PREPOSITION}(\s+)((?:[A-Z][\w'\u2019-]*\s+){{1,3}})([a-zé]+)\b"
)
_NAME_RUN = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-zà-ÿ'\u2019-]+(?:\s+[A-Z][a-zà-ÿ'\u2019-]+)*)")
_SENTENCE_START = re.compile(r"(^|[.!?…]\s+|\n\s*)([\"'(¡¿]*)([a-z])")


def article_for(word: str) -> str:
    lower = word.lower()
    if word.isupper() and len(word) > 1:  # an acronym is read letter by letter: "an FAQ", "a UFO" are rare
        return "an" if lower[0] in "aefhilmnorsx" else "a"
    if lower.startswith(_AN_BEFORE):
        return "an"
    if lower.startswith(_A_BEFORE):
        return "a"
    return "an" if lower[0] in "aeiou" else "a"


def fix_articles(text: str) -> str:
    def choose(match: re.Match[str]) -> str:
        article, space, lead, word = match.groups()
        right = article_for(word)
        if article.isupper() and len(article) > 1:
            right = right.upper()
        elif article[0].isupper():
            right = right.capitalize()
        return f"{right}{space}{lead}{word}"

    return _ARTICLE.sub(choose, text)


def place_articles(text: str) -> str:
    """"at Paris cafe" → "at the Paris cafe": a capitalised name followed by a common place noun."""

    def insert(match: re.Match[str]) -> str:
        preposition, space, names, noun = match.groups()
        if noun.lower() not in PLACE_NOUNS:
            return match.group(0)
        return f"{preposition}{space}the {names}{noun}"

    return _PLACE_PHRASE.sub(insert, text)


def capitalise(text: str, names: Iterable[str]) -> str:
    """Sentences start with a capital; names written in lower case get theirs back; "i" is "I"."""
    for name in sorted({n for n in names if n and n[0].isupper()}, key=len, reverse=True):
        text = re.sub(rf"(?<![\w#@]){re.escape(name.lower())}(?![\w])", name, text)
    text = re.sub(r"(?<![\w#@])i(?=['\u2019]?\b(?:m|ve|ll|d)?\b)(?![\w])", "I", text)
    return _SENTENCE_START.sub(lambda m: f"{m.group(1)}{m.group(2)}{m.group(3).upper()}", text)


def proper_names(*texts: str) -> list[str]:
    """Capitalised words and runs of them ("Mia Laurent", "New York") that do not start a sentence."""
    found: list[str] = []
    for text in texts:
        for match in _NAME_RUN.finditer(text or ""):
            found.extend([match.group(1), *match.group(1).split()])
    return found


def polish(text: str, names: Iterable[str], *, lowercase: bool) -> str:
    text = place_articles(text)
    if not lowercase:
        text = capitalise(text, names)
    return fix_articles(text)
