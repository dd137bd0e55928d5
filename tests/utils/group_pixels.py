"""Measuring a group picture from its pixels: which named colours each figure's column holds.

Colour names come from the photo-analysis code (``providers.vision.measure.nearest_color_name``), the same
names the vision provider reports, so "blue hair" is checked as the analysis would see it."""

from __future__ import annotations

import io
from collections import Counter
from typing import Any

from PIL import Image

from providers.vision.measure import nearest_color_name

SAMPLE_SIDE = 256
# Where standing figures' heads are, as fractions of the height: above the floor and its props, below the top
# of the wall; measuring this band keeps a floor prop in a hair colour from counting as hair.
HEAD_BAND = (0.15, 0.72)


def pixel_name(pixel: Any) -> str:
    """The analysis name of one RGB pixel as Pillow's pixel access returns it."""
    red, green, blue = pixel
    return nearest_color_name((int(red), int(green), int(blue)))


def column_colors(png: bytes, columns: int, band: tuple[float, float] = HEAD_BAND) -> list[Counter[str]]:
    """For each of ``columns`` equal vertical strips, the share of its pixels (within the rows of ``band``)
    nearest each named colour."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    image.thumbnail((SAMPLE_SIDE, SAMPLE_SIDE))
    width, height = image.size
    top, bottom = round(height * band[0]), round(height * band[1])
    pixels = image.load()
    assert pixels is not None
    shares: list[Counter[str]] = []
    for index in range(columns):
        left, right = width * index // columns, width * (index + 1) // columns
        counts: Counter[str] = Counter()
        for x in range(left, right):
            for y in range(top, bottom):
                counts[pixel_name(pixels[x, y])] += 1
        total = (right - left) * (bottom - top)
        shares.append(Counter({name: count / total for name, count in counts.items()}))
    return shares
