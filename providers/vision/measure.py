"""Pixel measurements with Pillow, shared by adapters: what an image really is (size, type) and the
photo features we can compute locally instead of asking a model (brightness, contrast, colours)."""

from __future__ import annotations

import io
from typing import NamedTuple

from PIL import Image, ImageOps, ImageStat, UnidentifiedImageError

from core.errors import ImageTooLarge
from providers.vision.base import PhotoFeatures

# Matches the default of AUTOPERSONAS_MAX_IMAGE_PIXELS; providers built from Settings pass theirs.
DEFAULT_MAX_IMAGE_PIXELS = 40_000_000

# Small fixed palette: names are for prompts and UI hints, not colour science.
_NAMED_COLORS: dict[str, tuple[int, int, int]] = {
    "black": (20, 20, 20),
    "white": (240, 240, 240),
    "gray": (128, 128, 128),
    "red": (200, 30, 30),
    "orange": (235, 130, 30),
    "yellow": (235, 215, 50),
    "green": (50, 150, 60),
    "teal": (30, 140, 140),
    "blue": (40, 80, 200),
    "navy": (20, 30, 90),
    "purple": (120, 50, 160),
    "pink": (235, 140, 180),
    "brown": (120, 75, 40),
    "beige": (220, 200, 160),
    "olive": (110, 110, 40),
    "maroon": (110, 20, 30),
}
_SQUARE_TOLERANCE = 0.05
_SAMPLE_SIDE = 256


class ImageInfo(NamedTuple):
    width: int
    height: int
    content_type: str


def open_image(data: bytes, max_pixels: int = DEFAULT_MAX_IMAGE_PIXELS) -> Image.Image:
    """Decode an image fully; ``ValueError`` if the bytes are not one, ``ImageTooLarge`` (non-retryable) if
    its header claims more than ``max_pixels``: the size is read from the header, before ``load()`` inflates
    a few hundred kilobytes into gigabytes."""
    try:
        image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as exc:  # Pillow's own, far higher limit
        raise ImageTooLarge(f"image is larger than {max_pixels} pixels") from exc
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ValueError(f"not a readable image: {exc}") from exc
    width, height = image.size
    if width * height > max_pixels:
        raise ImageTooLarge(f"image is {width}x{height} pixels; the limit is {max_pixels} pixels")
    try:
        image.load()
    except (OSError, SyntaxError) as exc:
        raise ValueError(f"not a readable image: {exc}") from exc
    return image


def upright(image: Image.Image) -> Image.Image:
    """The image turned as its EXIF orientation says, so portrait phone photos measure as portrait."""
    return ImageOps.exif_transpose(image) or image


def image_info(data: bytes) -> ImageInfo:
    """Real size and MIME type of encoded image bytes, whatever the provider claimed."""
    # A full decode, not verify(): a truncated download must fail here, not in whoever reads it later.
    image = open_image(data)
    content_type = Image.MIME.get(image.format or "", "application/octet-stream")
    return ImageInfo(image.width, image.height, content_type)


def nearest_color_name(rgb: tuple[int, int, int]) -> str:
    def distance(name: str) -> int:
        return sum((a - b) ** 2 for a, b in zip(_NAMED_COLORS[name], rgb, strict=True))

    return min(_NAMED_COLORS, key=distance)


def measure_photo(data: bytes, max_pixels: int = DEFAULT_MAX_IMAGE_PIXELS) -> PhotoFeatures:
    """Size, orientation, brightness, contrast, saturation and dominant colours of one photo."""
    image = upright(open_image(data, max_pixels))
    width, height = image.size
    aspect = width / height
    if abs(aspect - 1) <= _SQUARE_TOLERANCE:
        orientation = "square"
    else:
        orientation = "landscape" if aspect > 1 else "portrait"
    sample = image.convert("RGB")
    sample.thumbnail((_SAMPLE_SIDE, _SAMPLE_SIDE))
    luma = ImageStat.Stat(sample.convert("L"))
    saturation = ImageStat.Stat(sample.convert("HSV").getchannel("S")).mean[0] / 255
    dominant = _dominant_colors(sample)
    names = list(dict.fromkeys(nearest_color_name(rgb) for rgb in dominant))
    return PhotoFeatures(
        width=width,
        height=height,
        aspect_ratio=round(aspect, 4),
        orientation=orientation,
        brightness=round(min(1.0, luma.mean[0] / 255), 4),
        # A standard deviation of 128 is the most a 0..255 channel can have (half black, half white).
        contrast=round(min(1.0, luma.stddev[0] / 128), 4),
        saturation=round(min(1.0, saturation), 4),
        dominant_colors=["#{:02x}{:02x}{:02x}".format(*rgb) for rgb in dominant],
        color_names=names,
    )


def _dominant_colors(image: Image.Image, count: int = 5) -> list[tuple[int, int, int]]:
    quantized = image.quantize(colors=count, method=Image.Quantize.MEDIANCUT)
    palette = quantized.getpalette() or []
    counts = sorted(quantized.getcolors(maxcolors=256) or [], reverse=True)
    indexes = [int(index) for _, index in counts if isinstance(index, int)]  # P images give palette indexes.
    return [(palette[i * 3], palette[i * 3 + 1], palette[i * 3 + 2]) for i in indexes]
