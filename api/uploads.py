"""Taking images from callers, by upload or by URL: size, pixel count and type checked, then decoded and
re-encoded by Pillow into a clean file of the same format. What we store and serve is only the pixels: no
metadata (EXIF with GPS, comments) and no trailing bytes (a PNG with HTML appended is stored without it)."""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from core.errors import PayloadTooLarge, ValidationFailed
from core.settings import Settings
from providers.safe_fetch import FetchPolicy, fetch_url

MAX_IMAGE_BYTES = 10 * 1024 * 1024
ALLOWED_IMAGE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
_SAVE_OPTIONS: dict[str, dict[str, object]] = {"PNG": {}, "JPEG": {"quality": 95}, "WEBP": {"quality": 95}}


@dataclass(frozen=True)
class CheckedImage:
    data: bytes
    content_type: str
    width: int
    height: int


def check_image(data: bytes, field: str, *, max_pixels: int) -> CheckedImage:
    """Accept PNG, JPEG or WebP up to 10 MiB and ``max_pixels``; the type is read from the bytes, not trusted
    from the caller, and the pixel count from the header before anything is decoded (decompression bombs)."""
    if len(data) > MAX_IMAGE_BYTES:
        raise PayloadTooLarge(
            f"{field}: image is {len(data)} bytes; the limit is {MAX_IMAGE_BYTES}",
            details=[{"field": field, "message": "too large"}],
        )
    try:
        with Image.open(io.BytesIO(data)) as image:
            image_format = image.format or ""
            width, height = image.size
            if width * height > max_pixels:
                raise _too_many_pixels(field, f"{width}x{height}", max_pixels)
            image.verify()
    except Image.DecompressionBombError as exc:  # Pillow's own limit, far above ours
        raise _too_many_pixels(field, "more than Pillow decodes", max_pixels) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise _unreadable(field) from exc
    content_type = ALLOWED_IMAGE_TYPES.get(image_format)
    if content_type is None:
        raise ValidationFailed(
            f"{field}: {image_format or 'unknown'} images are not accepted; use PNG, JPEG or WebP",
            details=[{"field": field, "message": "unsupported image type"}],
        )
    clean, width, height = _reencode(data, image_format, field)
    return CheckedImage(data=clean, content_type=content_type, width=width, height=height)


def _reencode(data: bytes, image_format: str, field: str) -> tuple[bytes, int, int]:
    """Decode and encode again in the same format: pixels only, turned upright first since the EXIF
    orientation goes with the rest of the metadata. Animated images keep their first frame."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image) or image
            if image_format == "JPEG" and upright.mode not in ("RGB", "L", "CMYK"):
                upright = upright.convert("RGB")
            # Pillow writes some of ``info`` back (a JPEG comment, an ICC profile): keep only what the pixels
            # need to mean the same (a palette PNG's transparent index).
            upright.info = {k: v for k, v in upright.info.items() if k == "transparency"}
            out = io.BytesIO()
            upright.save(out, format=image_format, **_SAVE_OPTIONS[image_format])
            return out.getvalue(), upright.width, upright.height
    except (OSError, SyntaxError, ValueError) as exc:
        raise _unreadable(field) from exc


def _too_many_pixels(field: str, size: str, max_pixels: int) -> PayloadTooLarge:
    return PayloadTooLarge(
        f"{field}: image is {size} pixels; the limit is {max_pixels} pixels",
        details=[{"field": field, "message": f"more than {max_pixels} pixels"}],
    )


def _unreadable(field: str) -> ValidationFailed:
    return ValidationFailed(
        f"{field}: not a readable image", details=[{"field": field, "message": "not a readable image"}]
    )


async def fetch_image(url: str, field: str, settings: Settings, timeout: float = 10.0) -> CheckedImage:
    """Download an image a caller pointed us at through the one safe fetcher: no internal addresses, every
    redirect checked, the size capped while streaming, one generic error for every failure."""
    policy = FetchPolicy.from_settings(settings, max_bytes=MAX_IMAGE_BYTES, deadline_seconds=timeout)
    fetched = await fetch_url(url, field, policy)
    return check_image(fetched.data, field, max_pixels=settings.max_image_pixels)
