"""Taking images from callers, by upload or by URL: size and type checked, decoded to prove they are images."""

from __future__ import annotations

import io
from dataclasses import dataclass

import httpx
from PIL import Image, UnidentifiedImageError

from core.errors import PayloadTooLarge, ValidationFailed

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


async def fetch_image(url: str, field: str, timeout: float = 10.0) -> CheckedImage:
    """Download an image a caller pointed us at, refusing oversized bodies before reading them whole."""
    try:
        async with (
            httpx.AsyncClient(timeout=timeout, follow_redirects=True) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code >= 400:
                raise ValidationFailed(
                    f"{field}: fetching {url} answered {response.status_code}",
                    details=[{"field": field, "message": f"HTTP {response.status_code}"}],
                )
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > MAX_IMAGE_BYTES:
                    raise PayloadTooLarge(
                        f"{field}: image at {url} exceeds {MAX_IMAGE_BYTES} bytes",
                        details=[{"field": field, "message": "too large"}],
                    )
                chunks.append(chunk)
    except httpx.HTTPError as exc:
        raise ValidationFailed(
            f"{field}: could not fetch {url}: {exc.__class__.__name__}",
            details=[{"field": field, "message": "unreachable"}],
        ) from exc
    return check_image(b"".join(chunks), field)
