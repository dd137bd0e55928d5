"""Applies an aesthetic grade's ``ColorGrading`` to a picture, as a colourist would and in the same order.

Tone (brightness, contrast) → saturation → colour balance (temperature, tint) and fade → split toning
(shadow and highlight tints) → vignette → grain. Every step is a lookup table or a whole-image Pillow
operation, never a per-pixel Python loop, and grain comes from a seeded ``random.Random`` so the same seed
gives the same bytes.
"""

from __future__ import annotations

import random
from functools import lru_cache
from statistics import NormalDist

from PIL import Image, ImageChops, ImageEnhance

from domain.aesthetic_grades import ColorGrading
from providers.images.local.shapes import radial_mask

TEMPERATURE_GAIN = (0.16, 0.03, -0.2)  # R, G, B gains at temperature +1 (amber); mirrored toward blue
TINT_GAIN = (0.06, -0.1, 0.06)  # at tint +1 (magenta); mirrored toward green
FADE_LIFT = 90  # how far a full fade lifts pure black
GRAIN_SIGMA = 26.0  # standard deviation of the grain at strength 1, in 0-255 levels


def _clamp(value: float) -> int:
    return 0 if value < 0 else 255 if value > 255 else round(value)


def _tone_lut(grading: ColorGrading) -> list[int]:
    table = [_clamp((value * grading.brightness - 128) * grading.contrast + 128) for value in range(256)]
    return table * 3


def _balance_lut(grading: ColorGrading) -> list[int]:
    lift = FADE_LIFT * grading.fade
    table: list[int] = []
    for channel in range(3):
        gain = 1 + grading.temperature * TEMPERATURE_GAIN[channel] + grading.tint * TINT_GAIN[channel]
        for value in range(256):
            balanced = value * gain
            # Fade lifts the blacks and leaves white where it is, like a matte print.
            table.append(_clamp(balanced + lift * (1 - balanced / 255)))
    return table


def _is_identity(lut: list[int]) -> bool:
    return all(lut[index] == index % 256 for index in range(len(lut)))


def _split_tone(
    image: Image.Image, shadow: tuple[int, int, int], highlight: tuple[int, int, int]
) -> Image.Image:
    luma = image.convert("L")
    # One signed layer per channel, centred on 128 and added with offset -128, so a single pass both adds
    # and subtracts. Weights fall off quadratically so mid-tones are barely touched.
    channels = []
    for channel in range(3):
        lut = [
            _clamp(128 + (255 - v) * (255 - v) / 65025 * shadow[channel] + v * v / 65025 * highlight[channel])
            for v in range(256)
        ]
        channels.append(luma.point(lut))
    return ImageChops.add(image, Image.merge("RGB", channels), scale=1.0, offset=-128)


@lru_cache(maxsize=4)
def _vignette_mask(size: tuple[int, int], strength: float) -> Image.Image:
    """RGB multiplier: white in the middle, darker toward the corners."""
    curve = []
    for distance in range(256):
        edge = max(0.0, (distance / 255 - 0.35) / 0.65)
        curve.append(_clamp(255 * (1 - strength * 0.75 * edge * edge)))
    mask = radial_mask(*size).point(curve)
    return Image.merge("RGB", (mask, mask, mask))


def _grain(image: Image.Image, strength: float, seed: int) -> Image.Image:
    rng = random.Random(seed)
    width, height = image.size
    # Half-resolution noise scaled up gives film-sized grain clumps and halves the random bytes needed.
    small = (max(1, (width + 1) // 2), max(1, (height + 1) // 2))
    noise = Image.frombytes("L", small, rng.randbytes(small[0] * small[1]))
    sigma = GRAIN_SIGMA * strength
    normal = NormalDist()
    # Uniform bytes → Gaussian offsets (inverse CDF) around 128, added back with offset -128.
    signed = noise.point([_clamp(128 + normal.inv_cdf((value + 0.5) / 256) * sigma) for value in range(256)])
    signed = signed.resize(image.size, Image.Resampling.BILINEAR)
    # The same noise on all three channels: grain is luminance noise, so black and white stays grey.
    return ImageChops.add(image, Image.merge("RGB", (signed, signed, signed)), scale=1.0, offset=-128)


def apply_grading(image: Image.Image, grading: ColorGrading, seed: int) -> Image.Image:
    """Returns a new RGB image with the grade applied; the input is left untouched."""
    # Every step below returns a new image, so the caller's image is never modified.
    image = image.convert("RGB") if image.mode != "RGB" else image
    tone = _tone_lut(grading)
    if not _is_identity(tone):
        image = image.point(tone)
    if grading.saturation <= 0:
        image = image.convert("L").convert("RGB")
    elif grading.saturation != 1:
        image = ImageEnhance.Color(image).enhance(grading.saturation)
    balance = _balance_lut(grading)
    if not _is_identity(balance):
        image = image.point(balance)
    if any(grading.shadow_tint) or any(grading.highlight_tint):
        image = _split_tone(image, grading.shadow_tint, grading.highlight_tint)
    if grading.vignette > 0:
        image = ImageChops.multiply(image, _vignette_mask(image.size, grading.vignette))
    if grading.grain > 0:
        image = _grain(image, grading.grain, seed)
    return image
