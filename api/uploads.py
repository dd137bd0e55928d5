"""Taking images from callers, by upload or by URL: size and type checked, decoded to prove they are images."""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from core.errors import PayloadTooLarge, ValidationFailed
from core.settings import Settings
from providers.safe_fetch import FetchPolicy, fetch_url

MAX_IMAGE_BYTES = 10 * 1024 * 1024
ALLOWED_IMAGE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}


@dataclass(frozen=True)
class CheckedImage:
    data: bytes
    content_type: str
    width: int
    height: int


def check_image(data: bytes, field: str) -> CheckedImage:
    """Accept PNG, JPEG or WebP up to 10 MiB; the type is read from the bytes, not trusted from the caller."""
    if len(data) > MAX_IMAGE_BYTES:
        raise PayloadTooLarge(
            f"{field}: image is {len(data)} bytes; the limit is {MAX_IMAGE_BYTES}",
            details=[{"field": field, "message": "too large"}],
        )
    try:
        with Image.open(io.BytesIO(data)) as image:
            image_format = image.format or ""
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationFailed(
            f"{field}: not a readable image", details=[{"field": field, "message": "not a readable image"}]
        ) from exc
    content_type = ALLOWED_IMAGE_TYPES.get(image_format)
    if content_type is None:
        raise ValidationFailed(
            f"{field}: {image_format or 'unknown'} images are not accepted; use PNG, JPEG or WebP",
            details=[{"field": field, "message": "unsupported image type"}],
        )
    return CheckedImage(data=data, content_type=content_type, width=width, height=height)


async def fetch_image(url: str, field: str, settings: Settings, timeout: float = 10.0) -> CheckedImage:
    """Download an image a caller pointed us at through the one safe fetcher: no internal addresses, every
    redirect checked, the size capped while streaming, one generic error for every failure."""
    policy = FetchPolicy.from_settings(settings, max_bytes=MAX_IMAGE_BYTES, deadline_seconds=timeout)
    fetched = await fetch_url(url, field, policy)
    return check_image(fetched.data, field)
