"""``/media/{key}``: stored files, served by content-addressed key. Keys embed a SHA-256 of the bytes, so
they are unguessable and the URL can be handed to platforms that pull media (Instagram, TikTok)."""

from __future__ import annotations

import mimetypes

from fastapi import APIRouter
from fastapi.responses import Response

from api.deps import StorageDep
from core.errors import NotFound

router = APIRouter(tags=["media"])

# Media is served from our own origin, so a file a browser opens must never run as a page: no type sniffing
# (an image with HTML inside stays an image), and a policy that loads nothing and sandboxes what it is.
MEDIA_SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; img-src 'self'; media-src 'self'; sandbox",
}


@router.get(
    "/media/{key:path}", summary="Fetch a stored media file", response_class=Response,
    responses={
        200: {"content": {"image/png": {}, "image/jpeg": {}, "video/mp4": {}}},
        404: {"description": "No such file"},
    },
)
async def get_media(key: str, storage: StorageDep) -> Response:
    try:
        data = await storage.get(key)
    except (FileNotFoundError, NotFound, ValueError) as exc:
        raise NotFound(f"no media at {key}") from exc
    content_type = mimetypes.guess_type(key)[0] or "application/octet-stream"
    return Response(
        content=data, media_type=content_type,
        headers={"Cache-Control": "public, max-age=31536000, immutable", **MEDIA_SECURITY_HEADERS},
    )
