"""Wardrobe strings and prompt words → what the figure wears and looks like.

"red leather jacket" becomes a red jacket over whatever top is chosen; an item without a colour word gets a
colour hashed from its own text, so the same item always looks the same.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from providers.images.local.colors import COLOR_WORDS, RGB, find_colors, hashed_color, shade, words
from providers.images.local.scene import ScenePlan
from providers.images.local.wardrobe_words import HAIR_STYLES, HAIR_WORDS, PATTERN_WORDS, SLOT_WORDS

SKIN_TONES: tuple[RGB, ...] = (
    (250, 218, 190),
    (236, 192, 160),
    (214, 160, 120),
    (180, 124, 86),
    (140, 92, 62),
    (100, 66, 46),
)
DEFAULT_HAIR: tuple[RGB, ...] = ((40, 28, 22), (88, 54, 34), (140, 96, 54), (220, 186, 120), (20, 18, 18))
# When the wardrobe leaves a slot empty, the place suggests what to wear.
PLACE_DEFAULTS: dict[str, tuple[str, ...]] = {
    "beach": ("sundress", "sandals", "hat"),
    "gym": ("tank", "leggings", "sneakers"),
    "city": ("tee", "jeans", "jacket", "sneakers"),
    "cafe": ("sweater", "jeans", "loafers"),
    "forest": ("tee", "pants", "boots", "backpack"),
    "mountain": ("sweater", "pants", "boots", "parka"),
    "studio": ("turtleneck", "trousers", "heels"),
    "park": ("shirt", "skirt", "sneakers"),
    "home": ("sweater", "joggers", "sandals"),
    "desert": ("shirt", "shorts", "boots", "hat"),
}


@dataclass(frozen=True)
class Garment:
    kind: str
    color: RGB
    pattern: str | None = None


@dataclass
class Outfit:
    top: Garment
    shoes: Garment
    bottom: Garment | None = None
    dress: Garment | None = None
    outerwear: Garment | None = None
    accessories: list[Garment] = field(default_factory=list)


@dataclass(frozen=True)
class Look:
    skin: RGB
    hair: RGB
    hair_style: str


def parse_item(item: str) -> tuple[str, Garment] | None:
    """(slot, garment) for one wardrobe string, or None when no garment word is in it."""
    tokens = words(item.replace("t-shirt", "tshirt"))
    match: tuple[str, str] | None = None
    for token in tokens:
        for slot, table in SLOT_WORDS.items():
            if token in table:
                match = (slot, table[token])  # the last garment word is the noun: "denim jacket"
    if match is None:
        return None
    colors = find_colors(item)
    color = colors[0][1] if colors else hashed_color(item.lower())
    pattern = next((PATTERN_WORDS[token] for token in tokens if token in PATTERN_WORDS), None)
    return match[0], Garment(match[1], color, pattern)


def prompt_items(prompt: str) -> list[str]:
    """Garments the prompt names, with the colour or pattern words just before them: "in a red dress"."""
    tokens = words(prompt.replace("t-shirt", "tshirt"))
    items = []
    for index, token in enumerate(tokens):
        if any(token in table for table in SLOT_WORDS.values()):
            start = index
            while (
                start > 0
                and index - start < 3
                and (
                    tokens[start - 1] in COLOR_WORDS
                    or tokens[start - 1] in PATTERN_WORDS
                    or tokens[start - 1] in ("light", "dark", "pale", "deep")
                )
            ):
                start -= 1
            items.append(" ".join(tokens[start : index + 1]))
    return items


def build_outfit(wardrobe: list[str], plan: ScenePlan, prompt: str = "") -> Outfit:
    """Wardrobe items first, then garments named in the prompt, then what suits the place."""
    rng = random.Random(plan.seed ^ 0x0F17)
    slots: dict[str, Garment] = {}
    accessories: list[Garment] = []
    loose: list[Garment] = []
    for item in [*wardrobe, *prompt_items(prompt)]:
        parsed = parse_item(item)
        if parsed is None:
            colors = find_colors(item)
            loose.append(Garment("badge", colors[0][1] if colors else hashed_color(item.lower())))
            continue
        slot, garment = parsed
        if slot == "accessory":
            accessories.append(garment)
        else:
            slots.setdefault(slot, garment)
    for name in PLACE_DEFAULTS.get(plan.place, ("tee", "pants", "shoes")):
        slot_garment = parse_item(name)
        if slot_garment is None or slot_garment[0] in slots:
            continue
        slot, garment = slot_garment
        if slot == "accessory":
            if not wardrobe and len(accessories) < 2:
                accessories.append(Garment(garment.kind, rng.choice(plan.accents)))
            continue
        if slot == "dress" and ("top" in slots or "bottom" in slots):
            continue
        color = rng.choice(plan.accents) if slot in ("top", "dress") else _neutral(rng, slot)
        slots[slot] = Garment(garment.kind, color)
    # An item we could not place still shows its colour: as the top if there is none, else as a badge.
    if loose and "top" not in slots and "dress" not in slots:
        slots["top"] = Garment("tee", loose.pop(0).color)
    top = slots.get("top") or Garment("tee", rng.choice(plan.accents))
    return Outfit(
        top=top,
        shoes=slots.get("shoes") or Garment("shoes", _neutral(rng, "shoes")),
        bottom=None if "dress" in slots else slots.get("bottom") or Garment("pants", _neutral(rng, "bottom")),
        dress=slots.get("dress"),
        outerwear=slots.get("outerwear"),
        accessories=(accessories + loose)[:4],
    )


def _neutral(rng: random.Random, slot: str) -> RGB:
    if slot == "bottom":
        return rng.choice(
            (
                COLOR_WORDS["denim"],
                COLOR_WORDS["black"],
                COLOR_WORDS["khaki"],
                COLOR_WORDS["charcoal"],
                shade(COLOR_WORDS["denim"], 0.25),
            )
        )
    return rng.choice((COLOR_WORDS["white"], COLOR_WORDS["black"], COLOR_WORDS["brown"], COLOR_WORDS["tan"]))


def build_look(prompt: str, seed: int) -> Look:
    rng = random.Random(seed ^ 0x10C)
    tokens = words(prompt)
    hair: RGB | None = None
    for index, token in enumerate(tokens):
        if token in HAIR_WORDS:
            hair = HAIR_WORDS[token]
        elif token == "hair" and index and tokens[index - 1] in COLOR_WORDS:
            hair = COLOR_WORDS[tokens[index - 1]]
    style = next((token for token in tokens if token in HAIR_STYLES), None)
    if style is None and ("ponytail" in tokens or "braid" in tokens):
        style = "ponytail"
    skin = rng.choice(SKIN_TONES)
    if hair is None:
        hair = rng.choice(DEFAULT_HAIR)
        # Hair the prompt did not choose must still read against the skin, or a head seen from behind
        # would look like a face.
        if abs(_luma(hair) - _luma(skin)) < 45:
            hair = shade(hair, -0.55)
    return Look(skin=skin, hair=hair, hair_style=style or rng.choice(HAIR_STYLES))


def _luma(rgb: RGB) -> float:
    return 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]
