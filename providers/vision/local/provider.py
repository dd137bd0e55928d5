"""The embedded vision provider: measures each photo's pixels and turns the numbers into words.

Size, orientation, brightness, contrast, saturation and dominant colours come from ``measure_photo`` (the
same measurements the HTTP adapters report); colour temperature is measured here. The base prompt and the
wardrobe suggestions are written from those numbers, so a bright red photo gives a bright, red answer.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass

from PIL import ImageStat

from core.errors import PermanentProviderError
from providers.text.base import WardrobeCategory, WardrobeItem
from providers.vision.base import PhotoAnalysis, PhotoFeatures, PhotoInput
from providers.vision.measure import (
    DEFAULT_MAX_IMAGE_PIXELS,
    measure_photo,
    nearest_color_name,
    open_image,
    upright,
)

SAMPLE_SIDE = 128
NEUTRALS = frozenset({"white", "grey", "gray", "black", "beige"})
# Garments by the photos' look; every category gets one, in this order.
GARMENTS: dict[str, dict[WardrobeCategory, str]] = {
    "bright": {"top": "linen shirt", "bottom": "wide-leg trousers", "outerwear": "light trench coat",
               "shoes": "canvas sneakers", "accessory": "straw tote"},
    "dark": {"top": "fitted turtleneck", "bottom": "tailored trousers", "outerwear": "leather jacket",
             "shoes": "chelsea boots", "accessory": "structured shoulder bag"},
    "vivid": {"top": "statement blouse", "bottom": "pleated midi skirt", "outerwear": "cropped bomber jacket",
              "shoes": "colour-pop sneakers", "accessory": "bold silk scarf"},
    "everyday": {"top": "cotton tee", "bottom": "straight jeans", "outerwear": "denim jacket",
                 "shoes": "leather sneakers", "accessory": "canvas tote"},
}  # fmt: skip


@dataclass(frozen=True)
class Measured:
    features: PhotoFeatures
    warmth: float  # mean red minus mean blue, -1..1


def _measure(photo: PhotoInput, index: int, max_pixels: int) -> Measured:
    label = photo.filename or f"#{index + 1}"
    try:
        features = measure_photo(photo.data, max_pixels)
        image = upright(open_image(photo.data, max_pixels)).convert("RGB")
    except ValueError as exc:
        raise PermanentProviderError(f"photo {label} could not be decoded ({exc})") from exc
    image.thumbnail((SAMPLE_SIDE, SAMPLE_SIDE))
    red, _, blue = ImageStat.Stat(image).mean
    return Measured(features, (red - blue) / 255)


def _words(measured: list[Measured]) -> dict[str, str]:
    count = len(measured)
    brightness = sum(m.features.brightness for m in measured) / count
    contrast = sum(m.features.contrast for m in measured) / count
    saturation = sum(m.features.saturation for m in measured) / count
    warmth = sum(m.warmth for m in measured) / count
    orientation = Counter(m.features.orientation for m in measured).most_common(1)[0][0]
    return {
        "frame": f"{orientation} photo",
        "tone": _band(warmth, -0.06, 0.06, ("cool blue tones", "neutral tones", "warm golden tones")),
        "light": _band(brightness, 0.35, 0.62,
                       ("dark low-key lighting", "soft balanced lighting", "bright high-key lighting")),
        "contrast": _band(contrast, 0.22, 0.5, ("soft low contrast", "medium contrast", "high contrast")),
        "color": "black and white" if saturation < 0.06 else _band(
            saturation, 0.22, 0.5, ("muted desaturated colors", "natural colors", "vivid saturated colors")),
        "look": "vivid" if saturation > 0.5 else _band(
            brightness, 0.35, 0.62, ("dark", "everyday", "bright")),
    }  # fmt: skip


def _band(value: float, low: float, high: float, words: tuple[str, str, str]) -> str:
    """The word for below ``low``, between, or above ``high``."""
    return words[0] if value < low else words[2] if value > high else words[1]


def _palette(measured: list[Measured]) -> list[str]:
    """Colour names across all photos, the most widespread first, chromatic ones before neutrals."""
    counts = Counter(name for m in measured for name in m.features.color_names)
    ranked = sorted(counts, key=lambda name: (name in NEUTRALS, -counts[name]))
    return ranked or ["black"]


def _rgb(hex_color: str) -> tuple[int, int, int]:
    value = int(hex_color.lstrip("#"), 16)
    return (value >> 16) & 255, (value >> 8) & 255, value & 255


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _wardrobe(palette: list[str], look: str, hexes: dict[str, str]) -> list[WardrobeItem]:
    items = []
    for index, (category, garment) in enumerate(GARMENTS[look].items()):
        color = palette[index % len(palette)]
        where = f" ({hexes[color]})" if color in hexes else ""
        items.append(WardrobeItem.model_validate({
            "name": f"{color.capitalize()} {garment}",
            "category": category,
            "description": f"{garment.capitalize()} in the {color}{where} that runs through the photos.",
            "colors": [color],
        }))  # fmt: skip
    return items


def analyze_photos(photos: list[PhotoInput], max_pixels: int = DEFAULT_MAX_IMAGE_PIXELS) -> PhotoAnalysis:
    if not photos:
        raise PermanentProviderError("no photos to analyze: upload at least one image")
    measured = [_measure(photo, index, max_pixels) for index, photo in enumerate(photos)]
    words = _words(measured)
    palette = _palette(measured)
    hexes: dict[str, str] = {}
    for m in measured:
        for hex_color in m.features.dominant_colors:
            hexes.setdefault(nearest_color_name(_rgb(hex_color)), hex_color)
    parts = [words["frame"], words["tone"], words["light"], words["contrast"], words["color"]]
    parts.append(f"palette of {_join(palette[:3])}")
    return PhotoAnalysis.model_validate({
        "photos": [m.features for m in measured],
        "base_prompt": ", ".join(parts),
        "wardrobe_suggestions": _wardrobe(palette, words["look"], hexes),
    })  # fmt: skip


class LocalVisionProvider:
    name = "local"

    def __init__(self, max_pixels: int = DEFAULT_MAX_IMAGE_PIXELS) -> None:
        self.max_pixels = max_pixels

    async def analyze(self, photos: list[PhotoInput]) -> PhotoAnalysis:
        # Decoding and measuring are CPU-bound Pillow work: off the event loop.
        return await asyncio.to_thread(analyze_photos, photos, self.max_pixels)
