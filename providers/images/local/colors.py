"""Colour words and their RGB values, shared by the local image, text and vision providers.

One table keeps them in step: a colour the text provider puts in a wardrobe item name, or the vision
provider names in a suggestion (its names are all keys here), is a colour the image renderer can draw.
"""

from __future__ import annotations

import colorsys
import hashlib
import re
import unicodedata

RGB = tuple[int, int, int]

COLOR_WORDS: dict[str, RGB] = {
    "red": (200, 30, 36),
    "crimson": (170, 16, 48),
    "burgundy": (110, 18, 38),
    "maroon": (118, 28, 36),
    "pink": (240, 130, 170),
    "blush": (236, 180, 180),
    "rose": (214, 96, 120),
    "coral": (250, 120, 96),
    "orange": (240, 128, 24),
    "peach": (250, 190, 150),
    "rust": (170, 72, 30),
    "terracotta": (196, 98, 66),
    "yellow": (246, 214, 40),
    "mustard": (206, 160, 30),
    "gold": (212, 170, 60),
    "golden": (222, 176, 70),
    "cream": (244, 234, 210),
    "beige": (222, 204, 172),
    "tan": (196, 160, 116),
    "camel": (190, 146, 96),
    "khaki": (190, 176, 130),
    "brown": (110, 70, 40),
    "chocolate": (84, 50, 30),
    "olive": (110, 116, 50),
    "green": (40, 150, 70),
    "sage": (160, 180, 150),
    "mint": (170, 230, 200),
    "emerald": (20, 130, 90),
    "teal": (20, 128, 128),
    "turquoise": (50, 200, 200),
    "aqua": (90, 220, 220),
    "cyan": (40, 200, 230),
    "blue": (36, 90, 210),
    "navy": (24, 34, 80),
    "cobalt": (20, 70, 180),
    "denim": (70, 100, 150),
    "lavender": (190, 170, 230),
    "lilac": (200, 160, 210),
    "purple": (120, 50, 160),
    "violet": (140, 70, 200),
    "plum": (110, 40, 90),
    "magenta": (210, 30, 150),
    "fuchsia": (230, 50, 170),
    "black": (18, 18, 20),
    "charcoal": (54, 56, 60),
    "grey": (128, 128, 132),
    "gray": (128, 128, 132),
    "silver": (190, 192, 198),
    "white": (246, 246, 244),
    "ivory": (250, 246, 230),
}

_SHADES = {"light": 0.45, "pale": 0.55, "pastel": 0.5, "dark": -0.45, "deep": -0.35, "bright": 0.15}
_WORD = re.compile(r"[a-z]+")


def words(text: str) -> list[str]:
    """Lower-case alphabetic words, in order, with accents folded so "café" matches "cafe"."""
    folded = unicodedata.normalize("NFKD", text.lower())
    return _WORD.findall("".join(char for char in folded if not unicodedata.combining(char)))


def shade(rgb: RGB, amount: float) -> RGB:
    """Mix toward white (amount > 0) or black (amount < 0)."""
    if amount >= 0:
        return (
            round(rgb[0] + (255 - rgb[0]) * amount),
            round(rgb[1] + (255 - rgb[1]) * amount),
            round(rgb[2] + (255 - rgb[2]) * amount),
        )
    keep = 1 + amount
    return (round(rgb[0] * keep), round(rgb[1] * keep), round(rgb[2] * keep))


def mix(a: RGB, b: RGB, t: float) -> RGB:
    """Linear mix, t=0 gives a, t=1 gives b."""
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t), round(a[2] + (b[2] - a[2]) * t))


def find_colors(text: str) -> list[tuple[str, RGB]]:
    """Colour words of a text in order of appearance, with light/dark modifiers applied to the RGB."""
    found: list[tuple[str, RGB]] = []
    tokens = words(text)
    for index, token in enumerate(tokens):
        rgb = COLOR_WORDS.get(token)
        if rgb is None:
            continue
        previous = tokens[index - 1] if index else ""
        if previous in _SHADES:
            found.append((f"{previous} {token}", shade(rgb, _SHADES[previous])))
        else:
            found.append((token, rgb))
    return found


def hashed_color(
    key: str, saturation: tuple[float, float] = (0.45, 0.8), value: tuple[float, float] = (0.55, 0.9)
) -> RGB:
    """A stable colour for any word, so unknown words still change the picture the same way every time."""
    digest = hashlib.sha256(key.encode()).digest()
    hue = int.from_bytes(digest[:2], "big") / 65535
    sat = saturation[0] + (saturation[1] - saturation[0]) * digest[2] / 255
    val = value[0] + (value[1] - value[0]) * digest[3] / 255
    r, g, b = colorsys.hsv_to_rgb(hue, sat, val)
    return (round(r * 255), round(g * 255), round(b * 255))
