"""Garment, pattern and hair words: the vocabulary that dresses the figure rather than the scene."""

from __future__ import annotations

from providers.images.local.colors import RGB


def _table(pairs: str) -> dict[str, str]:
    """ "word:kind word:kind ..." → {word: kind}; a bare word is its own kind."""
    table = {}
    for pair in pairs.split():
        word, _, kind = pair.partition(":")
        table[word] = kind or word
    return table


# Each word maps to the shape the figure draws for it ("blazer" is drawn as a jacket).
SLOT_WORDS: dict[str, dict[str, str]] = {
    "top": _table(
        "shirt tshirt:tee tee top:tee blouse:shirt sweater jumper:sweater hoodie:sweater "
        "sweatshirt:sweater tank camisole:tank cami:tank crop polo:tee turtleneck:sweater "
        "bodysuit:tank bra:crop jersey:tee knit:sweater tube:tank"
    ),
    "bottom": _table(
        "jeans:pants pants trousers:pants leggings joggers:pants shorts skirt chinos:pants "
        "slacks:pants miniskirt:skirt"
    ),
    "dress": _table("dress gown jumpsuit romper sundress:dress"),
    "outerwear": _table(
        "jacket coat blazer:jacket trench:coat parka:coat cardigan:jacket puffer:jacket vest "
        "kimono:coat bomber:jacket"
    ),
    "shoes": _table(
        "shoes sneakers:shoes trainers:shoes boots heels sandals:shoes loafers:shoes flats:shoes "
        "pumps:heels stilettos:heels"
    ),
    "accessory": _table(
        "hat cap beanie beret:beanie sunglasses glasses:sunglasses bag handbag:bag purse:bag "
        "tote:bag backpack:bag scarf necklace belt watch bracelet:watch earrings "
        "headband:beanie"
    ),
}
PATTERN_WORDS: dict[str, str] = _table(
    "striped:stripes stripes stripe:stripes polka:dots dotted:dots dots plaid:checks checked:checks "
    "tartan:checks gingham:checks floral:dots check:checks"
)
HAIR_WORDS: dict[str, RGB] = {
    "blonde": (228, 196, 120), "blond": (228, 196, 120), "brunette": (88, 54, 34), "auburn": (140, 58, 30),
    "ginger": (190, 86, 36), "redhead": (178, 70, 30), "platinum": (236, 230, 214),
}  # fmt: skip
HAIR_STYLES = ("long", "short", "bun", "ponytail", "bob", "curly")

FIGURE_WORDS: frozenset[str] = frozenset(
    {word for table in SLOT_WORDS.values() for word in table}
    | set(PATTERN_WORDS)
    | set(HAIR_WORDS)
    | set(HAIR_STYLES)
    | set(
        "hair braid bald eyes smile smiling outfit dressed leather silk linen wool cotton knitted oversized "
        "cropped".split()
    )
)
