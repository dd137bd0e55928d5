"""Pieces of caption writing: template filling, scene clean-up, and picking mood, traits and register."""

from __future__ import annotations

import random
import re

from providers.text.local import phrasebook as book
from providers.text.local.lexicon import SLANG, STOPWORDS, content_words, fold, hashtag
from providers.text.local.phrasebook import Mood, Trait
from providers.text.local.steer import CASUAL, FORMAL, Steer
from providers.text.local.voice import Voice

_SLOT = re.compile(r"{(\w+)}")
PLACE = re.compile(r"\b(?:in|from|based in|living in)\s+([A-Z][\w-]+(?:\s+[A-Z][\w-]+)?)")
# "A photo of ...", "She is ...": the subject goes, so the scene reads as the creator's own words.
_SUBJECT = re.compile(
    r"^(?:(?:a |an )?(?:photo|image|picture|shot) of\s+(?:her |him |them |me |the influencer |(?:a |the )?"
    r"(?:woman|man|girl|guy|person|model) )?|(?:she|he|they|i) (?:is|are|am)\s+|i'm\s+)",
    re.IGNORECASE,
)
SCENE_OPENERS = frozenset(
    "portrait photo picture shot selfie close closeup view sunset sunrise golden coffee breakfast brunch lunch "
    "dinner city street beach morning evening night afternoon woman man girl guy friends rain snow sun "
    "soft warm bright dark moody candid outfit mirror window table desk".split()
)
EXPAND = {"I'm": "I am", "can't": "cannot", "Can't": "Cannot", "don't": "do not", "it's": "it is",
          "It's": "It is", "Here's": "Here is", "What's": "What is", "How's": "How is", "That's": "That is",
          "won't": "will not", "isn't": "is not"}  # fmt: skip
CONTRACT = {"I am": "I'm", "it is": "it's", "It is": "It's", "do not": "don't", "cannot": "can't",
            "That is": "That's", "There is": "There's"}  # fmt: skip


def fill(
    pool: tuple[str, ...], slots: dict[str, str], register: str | None, rng: random.Random
) -> str | None:
    """One template from the pool whose slots all have values, in the register asked for."""
    usable = []
    for template in pool:
        tag, _, text = template.partition(":") if template[:2] in ("c:", "f:") else ("", "", template)
        if (tag == "c" and register == "formal") or (tag == "f" and register == "casual"):
            continue
        if all(slots.get(name) for name in _SLOT.findall(text)):
            usable.append(text)
    if not usable:
        return None
    return rng.choice(usable).format(**slots)


def clean_scene(text: str, names: frozenset[str] = frozenset()) -> tuple[str, bool]:
    """The scene as a clause we can drop into a sentence, and whether it starts with an -ing verb. A first
    word that is a name ("Mia Laurent at ...") keeps its capital."""
    scene = _SUBJECT.sub("", " ".join(text.split()).strip().rstrip(".!"))
    words = scene.split(" ")
    if len(words) > 16:
        head = re.split(r",|;| while | and then ", scene, maxsplit=1)[0].split(" ")
        words = head[:16]
    is_name = bool(words) and (
        words[0] in names or (len(words) > 1 and words[1][:1].isupper()) or not _common_opener(words[0])
    )
    if words and words[0][:1].isupper() and words[0][1:].islower() and words[0] != "I" and not is_name:
        words[0] = words[0].lower()
    scene = " ".join(words).strip(" ,")
    return scene, bool(words) and fold(words[0]).endswith("ing")


def _common_opener(word: str) -> bool:
    """A capitalised first word that is only capitalised because it starts the scene: a function word, a
    verb form, or a noun scenes usually open with. Anything else ("Laurent reading ...") may be a name."""
    folded = fold(word).strip(".,;:!?")
    return folded in STOPWORDS or folded.endswith(("ing", "ed", "ly")) or folded in SCENE_OPENERS


def pick_mood(mood: str | None) -> Mood:
    if not mood:
        return Mood(("good", "sunny", "easygoing"), ("✨",), ())
    key = fold(mood).strip()
    if key in book.MOODS:
        return book.MOODS[key]
    for candidate in book.MOODS.values():
        if key in candidate.adjectives:
            return candidate
    tag = hashtag(key)
    return Mood((key,), ("✨",), (tag,) if tag else ())


def pick_traits(personality: str, bio: str) -> list[Trait]:
    words = content_words(f"{personality} {bio}")
    found: dict[str, Trait] = {}
    for word in words:
        for name, trait in book.TRAITS.items():
            if word in trait.keywords:
                found.setdefault(name, trait)
    return list(found.values())


def pick_register(steer: Steer, voice: Voice | None, personality: str) -> str | None:
    if steer.register:
        return steer.register
    if voice is not None:
        return "formal" if voice.formality >= 0.6 else "casual" if voice.formality <= 0.35 else None
    words = set(content_words(personality))
    return "formal" if words & FORMAL else "casual" if words & CASUAL else None


def set_register(sentence: str, register: str | None) -> str:
    """Formal writing spells contractions out and drops slang; casual writing contracts."""
    if register == "formal":
        for short, full in EXPAND.items():
            sentence = re.sub(rf"(?<![\w']){re.escape(short)}(?![\w'])", full, sentence)
        kept = [word for word in sentence.split(" ") if fold(word).strip(".,!?:") not in SLANG]
        return " ".join(kept).replace("!!", ".").replace("!", ".")
    if register == "casual":
        for full, short in CONTRACT.items():
            sentence = re.sub(rf"\b{re.escape(full)}\b", short, sentence)
    return sentence


def pick_place(bio: str) -> str | None:
    match = PLACE.search(bio)
    return match.group(1) if match else None
