"""A free-form caption instruction ("shorter, add a question, no emojis") → what to change, as data.

Each comma/"and" clause is read on its own, so a negation ("no emojis") only applies to its own clause.
Words we do not recognise become themes the caption leans into, so an unknown instruction still steers
the result, and the same instruction always steers it the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from providers.text.local.lexicon import STOPWORDS, fold

SHORTER = set("shorter short concise brief shorten tighter trim punchier succinct".split())
LONGER = set("longer long expand elaborate detailed detail details lengthen richer".split())
QUESTION = set("question questions ask engage engagement engaging interactive".split())
EMOJI = set("emoji emojis emoticons emoticon".split())
HASHTAGS = set("hashtag hashtags tags tag".split())
FORMAL = set("formal professional polished serious elegant sophisticated corporate".split())
CASUAL = set("casual relaxed chill playful fun funny friendly informal laid laidback".split())
EXCITED = set("excited exciting enthusiastic energetic hype hyped bold louder".split())
CALM = set("calm calmer gentle subtle understated softer quieter".split())
ABSOLUTE_NEGATORS = set("no without remove drop zero skip lose don't dont".split())
NEGATORS = ABSOLUTE_NEGATORS | {"less", "fewer", "not"}
MORE = set("more add extra plenty lots increase".split())
# Words of an instruction that say how to change the caption, never what it is about.
FILLER = set(
    "make sound feel it bit little caption tone version rewrite write again try instead keep same use "
    "include please should words text post one lot way something slightly much super".split()
)
TOPIC = re.compile(
    r"\b(?:mention|mentions|include|including|about|feature|highlight|focus on|talk about|reference"
    r"|shout ?out)\s+(?:the |a |an |my |our |her |his )?([\w' -]{2,60})",
    re.IGNORECASE,
)


@dataclass
class Steer:
    length: float = 1.0
    question: bool = False
    emojis: bool | None = None
    hashtags: float = 1.0
    register: str | None = None
    excited: bool | None = None
    topics: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    salt: str = ""


def _clauses(instruction: str) -> list[str]:
    return [
        part.strip() for part in re.split(r"[,;.\n]|\band\b|\bthen\b|\bbut\b", instruction) if part.strip()
    ]


def parse_steer(instruction: str | None) -> Steer:
    steer = Steer(salt=fold(" ".join((instruction or "").split())))
    if not instruction:
        return steer
    for clause in _clauses(instruction):
        _read_clause(clause, steer)
    return steer


def _read_clause(clause: str, steer: Steer) -> None:
    topic = TOPIC.search(clause)
    if topic is not None:
        words = topic.group(1).split()[:4]
        if words:
            steer.topics.append(" ".join(words))
        clause = clause[: topic.start()]
    words = [fold(word) for word in re.findall(r"[\w']+", clause)]
    negated = any(word in NEGATORS for word in words)
    known: set[str] = set()
    for word in words:
        if word in SHORTER or word in LONGER:
            # "not too long" asks for shorter, "less brief" for longer.
            if (word in SHORTER) != negated:
                steer.length = min(steer.length, 0.5)
            else:
                steer.length = max(steer.length, 1.8)
        elif word in QUESTION:
            steer.question = not negated
        elif word in EMOJI:
            steer.emojis = not negated
        elif word in HASHTAGS:
            if not negated:
                steer.hashtags = 2.2
            else:
                steer.hashtags = 0.0 if ABSOLUTE_NEGATORS.intersection(words) else 0.4
        elif word in FORMAL or word in CASUAL:
            steer.register = "formal" if (word in FORMAL) != negated else "casual"
        elif word in EXCITED or word in CALM:
            steer.excited = (word in EXCITED) != negated
        else:
            continue
        known.add(word)
    if not known:
        steer.themes.extend(
            word
            for word in words
            if len(word) >= 3
            and word not in STOPWORDS
            and word not in FILLER
            and word not in NEGATORS
            and word not in MORE
        )
