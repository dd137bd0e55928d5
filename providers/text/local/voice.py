"""Reads a creator's voice from past posts and writes new captions the way they do.

Measured: typical length, emoji habit (how many, which, where), punctuation (exclamations, ellipses, a
closing full stop or none), how often they ask their readers a question, casing (all lower case, SHOUTED
words), words and phrases they keep coming back to, their recurring hashtags and how many they use, and how
formal they sound.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass

from providers.text.local.lexicon import (
    SLANG,
    STOPWORDS,
    content_words,
    emojis_in,
    fold,
    hashtags_in,
    sentence_case,
    strip_emojis,
    tokens,
    word_count,
)

_CONTRACTION = re.compile(r"\b\w+['\u2019](?:m|s|re|ve|ll|d|t)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Voice:
    avg_words: float
    emoji_rate: float
    emojis: tuple[str, ...]
    emoji_at_end: bool
    exclaim_rate: float
    double_exclaim: bool
    ellipsis: bool
    lowercase: bool
    shouts: bool
    end_punct: bool
    signature_words: tuple[str, ...]
    signature_phrase: str | None
    hashtags: tuple[str, ...]
    hashtag_rate: float
    formality: float
    # Share of posts that ask the reader something: a creator who usually asks gets a question too.
    question_rate: float = 0.0


def _body(sample: str) -> str:
    """The sample without hashtags, the way its words read."""
    return re.sub(r"#\w+", "", sample).strip()


def _recurring_phrase(samples: list[str]) -> str | None:
    counts: Counter[str] = Counter()
    for sample in samples:
        words = [fold(token) for token in tokens(_body(sample))]
        grams = {" ".join(words[i : i + n]) for n in (2, 3) for i in range(len(words) - n + 1)}
        counts.update(gram for gram in grams if any(word not in STOPWORDS for word in gram.split()))
    recurring = [(count, len(gram), gram) for gram, count in counts.items() if count >= 2]
    return max(recurring)[2] if recurring else None


def read_voice(samples: list[str]) -> Voice | None:
    samples = [sample.strip() for sample in samples if sample.strip()]
    if not samples:
        return None
    total = len(samples)
    bodies = [_body(sample) for sample in samples]
    emoji_lists = [emojis_in(sample) for sample in samples]
    ends = [strip_emojis(body).rstrip() for body in bodies]
    terminators = re.findall(r"[.!?]+", " ".join(bodies))
    word_docs = Counter(word for body in bodies for word in set(content_words(body)))
    tag_docs = Counter(tag for sample in samples for tag in set(hashtags_in(sample)))
    letters = [body for body in bodies if any(char.isalpha() for char in body)]
    slang_hits = sum(1 for body in bodies for token in tokens(body) if fold(token) in SLANG)
    contractions = sum(len(_CONTRACTION.findall(body)) for body in bodies)
    emoji_total = sum(len(found) for found in emoji_lists)
    exclaims = sum(body.count("!") for body in bodies)
    # Emoji, slang, contractions and exclamation marks per word: the more of them, the less formal.
    informal = (emoji_total + slang_hits + contractions + exclaims) / max(1, sum(map(word_count, bodies))) * 6
    lowercase = bool(letters) and sum(1 for body in letters if body == body.lower()) / len(letters) >= 0.6
    return Voice(
        avg_words=sum(word_count(body) for body in bodies) / total,
        emoji_rate=emoji_total / total,
        emojis=tuple(emoji for emoji, _ in Counter(e for found in emoji_lists for e in found).most_common(6)),
        emoji_at_end=sum(1 for body in bodies if emojis_in(body[-4:])) >= total / 2,
        exclaim_rate=sum(1 for mark in terminators if "!" in mark) / max(1, len(terminators)),
        double_exclaim=sum(1 for mark in terminators if mark.count("!") >= 2) >= max(1, total / 3),
        ellipsis=sum(1 for body in bodies if "..." in body or "…" in body) >= max(1, total / 3),
        lowercase=lowercase,
        shouts=sum(1 for body in bodies for token in tokens(body) if len(token) >= 3 and token.isupper())
        >= 2,
        end_punct=sum(1 for end in ends if end[-1:] in ".!?…") >= total / 2,
        signature_words=tuple(
            word for word, count in word_docs.most_common(6) if count >= 2 and count >= total * 0.4
        )[:3],
        signature_phrase=_recurring_phrase(samples),
        hashtags=tuple(tag for tag, count in tag_docs.most_common(8) if count >= 2 or total == 1),
        hashtag_rate=sum(len(hashtags_in(sample)) for sample in samples) / total,
        formality=max(0.0, min(1.0, 0.75 - informal)),
        question_rate=sum(1 for body in bodies if "?" in body) / total,
    )


def apply_voice(sentences: list[str], voice: Voice, rng: random.Random, allow_exclaim: bool) -> list[str]:
    """Rewrite finished sentences with the voice's punctuation and casing habits."""
    out = list(sentences)
    for index, sentence in enumerate(out):
        if sentence.endswith(".") and allow_exclaim and rng.random() < voice.exclaim_rate:
            out[index] = sentence[:-1] + ("!!" if voice.double_exclaim else "!")
    if voice.ellipsis and len(out) > 1 and out[0][-1:] in ".!":
        out[0] = out[0].rstrip(".!") + "..."
    if not voice.end_punct and out and out[-1].endswith("."):
        out[-1] = out[-1][:-1]
    if voice.shouts and out:
        words = out[0].split(" ")
        longest = max(range(len(words)), key=lambda i: (len(words[i].strip(".,!?:")), -i))
        words[longest] = words[longest].upper()
        out[0] = " ".join(words)
    if voice.lowercase:
        out = [sentence.lower() for sentence in out]
    else:
        out = [sentence_case(sentence) for sentence in out]
    return out
