"""The measurable style of written posts: length, emoji, hashtags, questions, casing, recurring phrases and
posting hours. Pure functions over texts, shared by the voice-stats endpoint, the voice-match score and
tests that check a caption follows its corpus."""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

_EMOJI = re.compile(
    "(?:[\U0001f1e6-\U0001f1ff]{2}|[\U0001f300-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2300-\u23ff]\ufe0f?)"
)
_HASHTAG = re.compile(r"#(\w+)")
_WORD = re.compile("[A-Za-z][A-Za-z'\u2019-]*")
_FILLER = frozenset(
    "a an the and or but of in on at to for with by from is are was were be it its this that i me my we our "
    "you your so just not no do have has had will can all some".split()
)


@dataclass(frozen=True)
class Style:
    """Per-post averages of one or more texts: what makes two writers' posts look different."""

    words: float
    emoji: float
    hashtags: float
    questions: float
    lowercase: float
    exclaims: float

    def vector(self) -> tuple[float, ...]:
        # Compressed so a 60-word writer is not infinitely far from a 6-word one, and rates stay 0-1.
        return (
            math.log1p(self.words) / math.log1p(80),
            min(self.emoji, 4) / 4,
            min(self.hashtags, 6) / 6,
            self.questions,
            self.lowercase,
            self.exclaims,
        )


@dataclass(frozen=True)
class CorpusStats:
    mean_length: float
    median_length: float
    emoji_per_post: float
    hashtags_per_post: float
    top_hashtags: list[tuple[str, int]]
    question_share: float
    top_phrases: list[tuple[str, int]]
    posting_hours: list[tuple[int, int]]


def emojis_in(text: str) -> list[str]:
    return _EMOJI.findall(text)


def hashtags_in(text: str) -> list[str]:
    return [f"#{tag.lower()}" for tag in _HASHTAG.findall(text)]


def words_in(text: str) -> list[str]:
    return _WORD.findall(_HASHTAG.sub(" ", text))


def _is_lowercase(text: str) -> bool:
    letters = [c for c in _HASHTAG.sub(" ", text) if c.isalpha()]
    return bool(letters) and all(c.islower() for c in letters)


def style_of(texts: Sequence[str]) -> Style:
    posts = [t for t in texts if t.strip()] or [""]
    n = len(posts)
    return Style(
        words=sum(len(words_in(t)) for t in posts) / n,
        emoji=sum(len(emojis_in(t)) for t in posts) / n,
        hashtags=sum(len(hashtags_in(t)) for t in posts) / n,
        questions=sum(1 for t in posts if "?" in t) / n,
        lowercase=sum(1 for t in posts if _is_lowercase(t)) / n,
        exclaims=sum(1 for t in posts if "!" in t) / n,
    )


def style_similarity(a: Style, b: Style) -> float:
    """1.0 for the same style, falling towards 0 as the measures part."""
    distance = math.dist(a.vector(), b.vector()) / math.sqrt(len(a.vector()))
    return max(0.0, 1.0 - distance)


def _phrases(texts: Sequence[str], top: int) -> list[tuple[str, int]]:
    """Two- and three-word phrases used in more than one post, not made only of filler words."""
    counts: Counter[str] = Counter()
    for text in texts:
        words = [w.lower() for w in words_in(text)]
        grams = {" ".join(words[i : i + n]) for n in (2, 3) for i in range(len(words) - n + 1)}
        counts.update(g for g in grams if any(w not in _FILLER for w in g.split()))
    return [(phrase, count) for phrase, count in counts.most_common(top * 3) if count >= 2][:top]


def corpus_stats(texts: Sequence[str], posted_at: Sequence[datetime | None]) -> CorpusStats:
    lengths = [len(t) for t in texts] or [0]
    style = style_of(texts)
    tags = Counter(tag for t in texts for tag in hashtags_in(t))
    hours = Counter(when.hour for when in posted_at if when is not None)
    return CorpusStats(
        mean_length=round(statistics.fmean(lengths), 1),
        median_length=float(statistics.median(lengths)),
        emoji_per_post=round(style.emoji, 2),
        hashtags_per_post=round(style.hashtags, 2),
        top_hashtags=tags.most_common(10),
        question_share=round(style.questions, 3),
        top_phrases=_phrases(texts, 10),
        posting_hours=sorted(hours.most_common(5), key=lambda pair: (-pair[1], pair[0])),
    )


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=False))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0


def voice_match(
    caption: str, caption_vector: Sequence[float], corpus: Sequence[str], corpus_vectors: Sequence[Sequence[float]]
) -> float:
    """0-1: how close a caption sits to a corpus, half by meaning (its best cosine against the corpus
    embeddings, clipped at 0) and half by measured style against the corpus's average style."""
    if not corpus:
        return 0.0
    meaning = max((cosine(caption_vector, v) for v in corpus_vectors), default=0.0)
    score = 0.5 * max(0.0, meaning) + 0.5 * style_similarity(style_of([caption]), style_of(corpus))
    return round(min(1.0, score), 4)
