"""Wardrobe items from a character's base prompt and personality.

The style words of the prompt choose the garments, its colour words choose the colours (or the style's
palette when it names none), and the categories are dealt out in turn so a wardrobe is never six tops.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from domain.seeds import seeded_random
from providers.images.local.colors import COLOR_WORDS, find_colors
from providers.text.base import WardrobeCategory, WardrobeItem, WardrobeRequest, WardrobeResult
from providers.text.local.lexicon import content_words, fold, sentence_case, tokens

CATEGORIES: tuple[WardrobeCategory, ...] = ("top", "bottom", "shoes", "outerwear", "accessory", "dress")
MASCULINE = frozenset("man men male guy boy gentleman he him his masculine menswear".split())
FEMININE_ONLY = frozenset(
    "dress skirt blouse heels camisole gown slip bodysuit sundress kitten mules".split()
)
PALETTE_PHRASES: dict[str, tuple[str, ...]] = {
    "earth": ("olive", "rust", "camel", "brown", "cream"),
    "neutral": ("beige", "cream", "grey", "black", "white"),
    "pastel": ("blush", "lavender", "mint", "peach", "cream"),
    "jewel": ("emerald", "burgundy", "cobalt", "plum"),
    "monochrome": ("black", "white", "grey", "charcoal"),
    "neon": ("fuchsia", "yellow", "cyan", "black"),
}
DEFAULT_PALETTE = ("navy", "white", "black", "camel", "denim", "cream", "olive", "burgundy")


@dataclass(frozen=True)
class Style:
    keywords: frozenset[str]
    palette: tuple[str, ...]
    adjectives: tuple[str, ...]
    garments: dict[WardrobeCategory, tuple[str, ...]]
    phrase: str


def _style(keywords: str, palette: str, adjectives: str, phrase: str, **garments: str) -> Style:
    table: dict[WardrobeCategory, tuple[str, ...]] = {}
    for category in CATEGORIES:
        if category in garments:
            table[category] = tuple(part.strip() for part in garments[category].split(","))
    return Style(
        frozenset(keywords.split()), tuple(palette.split()), tuple(adjectives.split()), table, phrase
    )


STYLES: dict[str, Style] = {
    "minimalist": _style(
        "minimal minimalist clean scandinavian simple understated",
        "black white beige grey navy",
        "tailored crisp relaxed",
        "clean lines and nothing extra",
        top="poplin shirt, fine-knit crewneck, boxy tee",
        bottom="wide-leg trousers, straight jeans",
        outerwear="wool coat, unstructured blazer",
        shoes="leather loafers, low-top sneakers",
        accessory="leather tote, fine chain necklace",
        dress="slip dress, shirt dress",
    ),
    "boho": _style(
        "boho bohemian hippie free-spirited festival earthy",
        "rust olive cream mustard terracotta",
        "flowy embroidered fringed",
        "a free-spirited, sun-warmed look",
        top="peasant blouse, crochet top",
        bottom="tiered maxi skirt, flared jeans",
        outerwear="suede fringe jacket, kimono",
        shoes="ankle boots, leather sandals",
        accessory="wide-brim hat, layered necklaces",
        dress="floral maxi dress",
    ),
    "streetwear": _style(
        "street streetwear urban skater hype skate hiphop",
        "black white grey red cobalt",
        "oversized graphic cropped",
        "easy, loud-when-it-wants-to-be street style",
        top="graphic hoodie, oversized tee",
        bottom="cargo pants, baggy jeans",
        outerwear="bomber jacket, puffer jacket",
        shoes="high-top sneakers, chunky sneakers",
        accessory="baseball cap, crossbody bag",
        dress="oversized tee dress",
    ),
    "sporty": _style(
        "sporty athletic athleisure fitness gym runner running yoga active",
        "black grey white navy mint",
        "breathable seamless stretch",
        "ready to move at any moment",
        top="sports bra, performance tank, quarter-zip",
        bottom="high-rise leggings, running shorts",
        outerwear="windbreaker, zip hoodie",
        shoes="running shoes, trainers",
        accessory="sports cap, gym duffel",
        dress="tennis dress",
    ),
    "elegant": _style(
        "elegant classic chic sophisticated luxury professional business timeless polished",
        "black ivory camel navy burgundy",
        "tailored silk structured",
        "quietly polished",
        top="silk blouse, cashmere sweater",
        bottom="pleated trousers, pencil skirt",
        outerwear="trench coat, tailored blazer",
        shoes="pointed pumps, leather loafers",
        accessory="structured handbag, pearl earrings",
        dress="wrap dress, midi sheath dress",
    ),
    "romantic": _style(
        "romantic feminine soft girly dreamy sweet",
        "blush lavender cream rose ivory",
        "ruffled lace puff-sleeve",
        "soft and a little dreamy",
        top="lace camisole, puff-sleeve blouse",
        bottom="satin midi skirt, pleated skirt",
        outerwear="cropped cardigan",
        shoes="ballet flats, strappy heels",
        accessory="silk scarf, pearl hair clip",
        dress="floral tea dress",
    ),
    "edgy": _style(
        "edgy grunge punk rock goth alternative moody dark",
        "black charcoal burgundy silver",
        "distressed studded leather",
        "a little dangerous",
        top="band tee, mesh top",
        bottom="ripped skinny jeans, leather pants",
        outerwear="leather biker jacket, oversized flannel",
        shoes="combat boots, platform boots",
        accessory="studded belt, silver rings",
        dress="slip dress",
    ),
    "outdoorsy": _style(
        "outdoorsy outdoor hiking hiker adventurous adventure nature camping mountains",
        "olive khaki rust navy tan",
        "rugged waterproof fleece-lined",
        "built for the trail",
        top="flannel shirt, merino base layer",
        bottom="hiking pants, utility shorts",
        outerwear="fleece jacket, rain shell",
        shoes="hiking boots, trail runners",
        accessory="daypack, bucket hat",
        dress="utility shirt dress",
    ),
    "coastal": _style(
        "beach coastal surf surfer tropical island summer seaside",
        "white sky navy coral sand",
        "linen breezy lightweight",
        "made for salt air",
        top="linen shirt, ribbed tank",
        bottom="linen shorts, sarong skirt",
        outerwear="cotton overshirt",
        shoes="espadrilles, slide sandals",
        accessory="straw hat, woven beach bag",
        dress="linen sundress",
    ),
}
BASE = _style(
    "",
    "navy white black",
    "classic everyday soft",
    "easy to wear every day",
    top="cotton tee, knit sweater, button-down shirt",
    bottom="straight jeans, chinos, denim skirt",
    outerwear="denim jacket, trench coat, cardigan",
    shoes="canvas sneakers, ankle boots, loafers",
    accessory="leather belt, canvas tote, sunglasses",
    dress="midi dress, shirt dress",
)


def _styles(words: list[str]) -> list[Style]:
    return [style for style in STYLES.values() if style.keywords.intersection(words)] + [BASE]


def _palette(text: str, styles: list[Style], rng: random.Random) -> list[str]:
    named = list(dict.fromkeys(name for name, _ in find_colors(text)))
    if named:
        return named
    words = content_words(text)
    for key, colors in PALETTE_PHRASES.items():
        if key in words or f"{key}s" in words:
            return list(colors)
    palette = [color for color in styles[0].palette if color in COLOR_WORDS] or list(DEFAULT_PALETTE)
    rng.shuffle(palette)
    return palette


def design_wardrobe(request: WardrobeRequest) -> WardrobeResult:
    text = f"{request.base_prompt} {request.personality}"
    words = [fold(token) for token in tokens(text)]
    rng = seeded_random("wardrobe", request.seed, request.base_prompt, request.personality)
    styles = _styles(words)
    masculine = bool(MASCULINE.intersection(words))
    palette = _palette(text, styles, rng)
    categories = [category for category in CATEGORIES if not (masculine and category == "dress")]
    rng.shuffle(categories)
    taken = {fold(name) for name in request.existing}
    items: list[WardrobeItem] = []
    traits = [word for word in content_words(request.personality) if word not in COLOR_WORDS][:2]
    for index in range(request.count):
        category = categories[index % len(categories)]
        item = _item(category, styles, palette, masculine, taken, traits, rng, index)
        taken.add(fold(item.name))
        items.append(item)
    return WardrobeResult.model_validate({"items": [item.model_dump() for item in items]})


def _item(
    category: WardrobeCategory, styles: list[Style], palette: list[str], masculine: bool, taken: set[str],
    traits: list[str], rng: random.Random, index: int,
) -> WardrobeItem:  # fmt: skip
    ranked: list[tuple[int, str, str, str]] = []
    for rank, style in enumerate(styles):
        for garment in style.garments.get(category, ()):
            if masculine and FEMININE_ONLY.intersection(garment.split()):
                continue
            ranked += [
                (rank, color, garment, adjective) for color in palette for adjective in style.adjectives
            ]
    if not ranked:
        ranked = [(0, color, "statement piece", "signature") for color in palette]
    rng.shuffle(ranked)
    # The prompt's own style before the everyday basics, and colours cycling item by item so they spread.
    preferred = palette[index % len(palette)]
    ranked.sort(key=lambda option: (option[0], option[1] != preferred))
    options = [(color, garment, adjective) for _, color, garment, adjective in ranked]
    for color, garment, adjective in options:
        for name in (f"{color} {garment}", f"{color} {adjective} {garment}"):
            if fold(name) not in taken:
                return _describe(name, category, color, garment, adjective, styles[0], traits)
    color, garment, adjective = options[0]
    number = 2  # every plain and adjective name is taken: number the first option
    while fold(f"{color} {garment} no. {number}") in taken:
        number += 1
    return _describe(
        f"{color} {garment} no. {number}", category, color, garment, adjective, styles[0], traits
    )


def _describe(name: str, category: WardrobeCategory, color: str, garment: str, adjective: str, style: Style,
              traits: list[str]) -> WardrobeItem:  # fmt: skip
    fit = f" Suits a {' and '.join(traits)} personality." if traits else ""
    description = f"{sentence_case(adjective)} {garment} in {color}: {style.phrase}.{fit}"
    return WardrobeItem.model_validate(
        {"name": sentence_case(name), "category": category, "description": description, "colors": [color]}
    )
