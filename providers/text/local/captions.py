"""Caption composition: grounded sentences picked to a target length, then shaped by register and voice.

Every sentence comes from the request (setting, scene, mood, time of day, personality, bio, content
directions, the instruction's topics and themes); the seed only chooses among ways of saying it.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from domain.seeds import seeded_random
from providers.text.base import CaptionRequest, CaptionResult
from providers.text.local import phrasebook as book
from providers.text.local.caption_parts import (
    clean_scene,
    fill,
    pick_mood,
    pick_place,
    pick_register,
    pick_traits,
    set_register,
)
from providers.text.local.grammar import polish, proper_names
from providers.text.local.hashtags import choose_hashtags
from providers.text.local.lexicon import sentence_case, strip_emojis, with_article, word_count
from providers.text.local.phrasebook import Mood, Trait
from providers.text.local.steer import Steer
from providers.text.local.voice import Voice, apply_voice

DEFAULT_WORDS = 26
MAX_CAPTION = 2200
# Where each kind of sentence sits in the caption, whatever order it was chosen in.
ORDER = ("lead", "opener", "scene", "signature", "trait", "direction", "topic", "theme", "place", "extra",
         "trait2", "closer", "question", "signoff")  # fmt: skip


@dataclass
class Draft:
    slots: dict[str, str]
    register: str | None
    mood: Mood
    traits: list[Trait]
    voice: Voice | None
    steer: Steer
    rng: random.Random
    sentences: dict[str, str] = field(default_factory=dict)
    must: list[str] = field(default_factory=list)


def names_in(request: CaptionRequest) -> list[str]:
    """The names a caption must keep capitalised: the creator's, and those in the setting, scene and bio."""
    name = request.influencer_name.strip()
    setting = [w for w in (request.setting or "").split() if w[:1].isupper()]
    place = pick_place(request.bio)
    return [name, *name.split(), *setting, *([place] if place else []),
            *proper_names(request.scene_description, request.bio)]  # fmt: skip


def _slots(request: CaptionRequest, steer: Steer, mood: Mood, rng: random.Random) -> dict[str, str]:
    slots = {"name": request.influencer_name.split(" ")[0], "adj": rng.choice(mood.adjectives)}
    if request.setting:
        slots |= {
            "setting": with_article(request.setting),
            "setting_bare": request.setting.strip(),
            "Setting": sentence_case(with_article(request.setting)),
            "topic": request.setting.strip(),
        }
    if request.time_of_day:
        slots["time"] = request.time_of_day
    slots["time_or_day"] = request.time_of_day or "day"
    if request.scene_description.strip():
        scene, _ = clean_scene(request.scene_description, frozenset(names_in(request)))
        slots |= {"scene": scene, "Scene": sentence_case(scene)}
    if request.content_directions:
        direction = rng.choice(request.content_directions).strip()
        slots |= {"direction": direction, "Direction": sentence_case(direction)}
    if steer.topics:
        slots["topic"] = steer.topics[0]
    place = pick_place(request.bio)
    if place:
        slots |= {"place": place, "Place": place}
    return slots


def _write(draft: Draft, request: CaptionRequest) -> None:
    """Every sentence the caption could hold; ``must`` names the ones it has to keep."""
    s, rng, reg, put = draft.slots, draft.rng, draft.register, draft.sentences.__setitem__
    opener = fill(book.OPENERS.get(request.time_of_day or "any", ()), s, reg, rng) or fill(
        book.OPENERS["any"], s, reg, rng
    )
    if opener:
        put("opener", opener)
    if "scene" in s:
        _, gerund = clean_scene(request.scene_description, frozenset(names_in(request)))
        put("scene", fill(book.SCENE_GERUND if gerund else book.SCENE_NOUN, s, reg, rng) or s["Scene"])
    elif "setting" in s and s["setting_bare"].lower() not in (opener or "").lower():
        put("scene", fill(book.SETTING_LINES, s, reg, rng) or s["Setting"])
    draft.must.append("scene" if "scene" in draft.sentences else "opener")
    for index, trait in enumerate(draft.traits[:2]):
        line = fill(trait.lines, s, reg, rng) or fill(trait.lines, s, None, rng)
        if line:
            put("trait" if index == 0 else "trait2", line)
    if "direction" in s:
        put("direction", fill(book.DIRECTION_LINES, s, reg, rng) or s["Direction"])
    for kind, values, pool, slot in (
        ("topic", draft.steer.topics, book.TOPIC_LINES, "topic"),
        ("theme", draft.steer.themes, book.THEME_LINES, "theme"),
    ):
        if values:
            put(kind, fill(pool, s | {slot: values[0]}, reg, rng) or values[0])
            draft.must.append(kind)
    if "place" in s:
        put("place", fill(book.PLACE_LINES, s, reg, rng) or s["place"])
    put("extra", fill(book.EXTRAS, s, reg, rng) or "")
    put("closer", fill(book.CLOSERS, s, reg, rng) or "")
    _write_voice(draft)
    asks = draft.voice is not None and draft.voice.question_rate >= 0.5
    if draft.steer.question or asks:
        put("question", fill(book.QUESTIONS, s, reg, rng) or "What do you think?")
        draft.must.append("question")
    if reg == "formal":
        draft.sentences.setdefault("signoff", f"— {s['name']}")
    opener = draft.sentences.get("opener")
    if reg == "casual" and opener and (draft.steer.register == "casual" or rng.random() < 0.4):
        draft.sentences["opener"] = f"{rng.choice(book.CASUAL_LEADS)} {opener[0].lower()}{opener[1:]}"


def _write_voice(draft: Draft) -> None:
    voice = draft.voice
    if voice is None:
        return
    # A phrase they keep repeating ("stay golden") is the strongest mark of a voice; failing that, a word.
    if voice.signature_phrase:
        draft.sentences["signature"] = voice.signature_phrase
    elif voice.signature_words:
        word = voice.signature_words[draft.rng.randrange(len(voice.signature_words))]
        draft.sentences["signature"] = fill(book.SIGNATURE_LINES, {"word": word}, None, draft.rng) or word
    if "signature" in draft.sentences:
        draft.must.append("signature")


def _select(draft: Draft, target: int) -> list[str]:
    """The must-have sentences, then the rest by priority until the caption reaches its target length."""
    priority = ["opener", "trait", "direction", "closer", "signoff", "place", "extra", "trait2"]
    if "question" in draft.sentences:
        priority.remove("closer")
    chosen = [kind for kind in draft.must if draft.sentences.get(kind)]
    if "scene" in chosen and word_count(draft.sentences["scene"]) > 2 * target:
        # A terse voice: a full scene sentence would drown it, so the caption keeps only the scene's first
        # clause, or the setting's name when that is shorter.
        draft.sentences["scene"] = min(_short_scenes(draft), key=word_count)
    for kind in priority:
        if sum(word_count(draft.sentences[k]) for k in chosen) >= target:
            break
        if draft.sentences.get(kind) and kind not in chosen:
            chosen.append(kind)
    return [draft.sentences[kind] for kind in ORDER if kind in chosen]


def _short_scenes(draft: Draft) -> list[str]:
    slots = draft.slots
    shorter = [draft.sentences["scene"]]
    if "Scene" in slots:
        shorter.append(re.split(r"[,;:]", slots["Scene"])[0].strip())
    if "Setting" in slots:
        shorter.append(slots["Setting"])
    return [sentence for sentence in shorter if sentence]


def _punctuate(sentences: list[str], draft: Draft) -> list[str]:
    out = []
    for index, sentence in enumerate(sentences):
        sentence = set_register(sentence.strip(), draft.register)
        if sentence.startswith("—"):
            out.append(sentence)
            continue
        if sentence[-1:] not in ".!?…":
            loud = draft.steer.excited and index in (0, len(sentences) - 1)
            sentence += "!" if loud else "."
        if draft.steer.excited is False:
            sentence = sentence.replace("!", ".")
        out.append(sentence)
    if draft.voice is not None:
        out = apply_voice(
            out,
            draft.voice,
            draft.rng,
            # The creator's own exclamation habit survives unless the instruction asks for calm or formal.
            allow_exclaim=draft.steer.excited is not False and draft.steer.register != "formal",
        )
    return out


def _emojis(draft: Draft) -> list[str]:
    steer, voice, rng = draft.steer, draft.voice, draft.rng
    if steer.emojis is False:
        return []
    if voice is not None:
        count = round(voice.emoji_rate) or (1 if voice.emoji_rate > 0 else 0)
    else:
        count = {"formal": 0, "casual": 2}.get(draft.register or "", 1)
    if steer.emojis:
        count = max(count + 2, 2)
    pool = list(
        dict.fromkeys(
            [
                *(voice.emojis if voice else ()),
                *draft.mood.emojis,
                *(trait.emoji for trait in draft.traits),
                *(book.TIME_EMOJI[t] for t in [draft.slots.get("time")] if t),
            ]
        )
    )
    if voice is None or not voice.emojis:
        rng.shuffle(pool)
    return pool[: min(count, len(pool))]


def compose(request: CaptionRequest, steer: Steer, voice: Voice | None, attempt: int = 0) -> CaptionResult:
    rng = seeded_random("caption", request.seed, steer.salt, attempt)
    mood = pick_mood(request.mood)
    draft = Draft(
        _slots(request, steer, mood, rng),
        pick_register(steer, voice, request.personality),
        mood,
        pick_traits(request.personality, request.bio),
        voice,
        steer,
        rng,
    )
    _write(draft, request)
    base = round(voice.avg_words) if voice is not None else DEFAULT_WORDS
    target = max(4, round(base * steer.length))
    sentences = _punctuate(_select(draft, target), draft)
    emojis = _emojis(draft)
    if emojis and voice is not None and not voice.emoji_at_end and len(sentences) > 1:
        sentences[0] = f"{sentences[0]} {''.join(emojis)}"
    elif emojis:
        sentences[-1] = f"{sentences[-1]} {''.join(emojis)}"
    caption = polish(" ".join(sentences), names_in(request), lowercase=voice is not None and voice.lowercase)
    if steer.emojis is False:
        caption = strip_emojis(caption)
    caption = caption[:MAX_CAPTION].rstrip()
    tags = choose_hashtags(request, steer, voice, mood, draft.traits, draft.register, rng)
    return CaptionResult.model_validate({"caption": caption, "hashtags": tags})
