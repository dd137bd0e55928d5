"""``/media/{key}``: stored files, served by content-addressed key. Keys embed a SHA-256 of the bytes, so
they are unguessable and the URL can be handed to platforms that pull media (Instagram, TikTok).

Videos are served with HTTP Range (RFC 9110 section 14): browsers seek in a ``<video>`` and platforms
pull large files in parts. The body is read from storage one slice at a time, so a long video is never
held whole in memory by the API."""

from __future__ import annotations

import mimetypes
import re
from collections.abc import AsyncIterator

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse

from api.deps import SettingsDep, StorageDep
from core.errors import NotFound
from providers.storage.base import MediaStorage

router = APIRouter(tags=["media"])

# Media is served from our own origin, so a file a browser opens must never run as a page: no type sniffing
# (an image with HTML inside stays an image), and a policy that loads nothing and sandboxes what it is.
MEDIA_SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; img-src 'self'; media-src 'self'; sandbox",
}
# How much of a file is read from storage at a time while streaming it out.
SLICE_BYTES = 1024 * 1024
_RANGE = re.compile(r"\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*")

_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {"content": {"image/png": {}, "image/jpeg": {}, "video/mp4": {}}},
    206: {"description": "The requested byte range (``Range: bytes=...``)"},
    404: {"description": "No such file"},
    416: {"description": "The range starts past the end of the file"},
}


class Unsatisfiable(Exception):
    """The range is well formed but selects nothing of this file: 416."""


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The inclusive (first, last) byte positions a ``Range`` header asks for, or None to send the whole file.

    One range of ``bytes=a-b``, ``bytes=a-`` or ``bytes=-n`` is honoured. A header we cannot read, another
    unit or several ranges is ignored and the whole file sent, as RFC 9110 allows; a range that starts at
    or past the end (or asks for the last 0 bytes) raises ``Unsatisfiable``."""
    if header is None:
        return None
    match = _RANGE.fullmatch(header)
    if match is None:
        return None
    first_text, last_text = match.groups()
    if not first_text:
        if not last_text:
            return None
        suffix = int(last_text)
        if suffix == 0 or size == 0:
            raise Unsatisfiable
        return max(0, size - suffix), size - 1
    first = int(first_text)
    if last_text and int(last_text) < first:
        return None  # syntactically invalid (RFC 9110 14.1.1): ignore the header
    if first >= size:
        raise Unsatisfiable
    last = int(last_text) if last_text else size - 1
    return first, min(last, size - 1)


async def _slices(storage: MediaStorage, key: str, first: int, last: int) -> AsyncIterator[bytes]:
    position = first
    while position <= last:
        end = min(position + SLICE_BYTES - 1, last)
        chunk = await storage.read_range(key, position, end)
        if not chunk:
            return  # the file shrank under us (deleted meanwhile): end the body rather than loop
        yield chunk
        position += len(chunk)


@router.get(
    "/media/{key:path}", summary="Fetch a stored media file", response_class=Response, responses=_RESPONSES
)
@router.head(
    "/media/{key:path}",
    summary="Headers of a stored media file",
    response_class=Response,
    include_in_schema=False,
    name="head_media",
)
async def get_media(key: str, request: Request, storage: StorageDep, settings: SettingsDep) -> Response:
    try:
        size = await storage.size(key)
    except (FileNotFoundError, NotFound, ValueError) as exc:
        raise NotFound(f"no media at {key}") from exc
    if settings.media_presigned:
        # The store serves the bytes (and ranges) itself; we only vouch for the key for a while.
        presigned = await storage.presigned_url(key, settings.media_presign_seconds)
        if presigned is not None:
            return RedirectResponse(presigned, status_code=307, headers={"Cache-Control": "private, max-age=60"})
    content_type = mimetypes.guess_type(key)[0] or "application/octet-stream"
    headers = {
        "Cache-Control": "public, max-age=31536000, immutable",
        "Accept-Ranges": "bytes",
        **MEDIA_SECURITY_HEADERS,
    }
    try:
        wanted = parse_range(request.headers.get("range"), size)
    except Unsatisfiable:
        return Response(status_code=416, headers={**headers, "Content-Range": f"bytes */{size}"})
    status = 200
    first, last = 0, size - 1
    if wanted is not None:
        status = 206
        first, last = wanted
        headers["Content-Range"] = f"bytes {first}-{last}/{size}"
    headers["Content-Length"] = str(last - first + 1)
    if request.method == "HEAD":
        return Response(status_code=status, media_type=content_type, headers=headers)
    return StreamingResponse(
        _slices(storage, key, first, last), status_code=status, media_type=content_type, headers=headers
    )
