"""Where a sandbox post lives publicly, and what kind its media are: rules shared by the sandbox platform,
its adapter and the API's account view."""

from __future__ import annotations

import mimetypes
from typing import Literal
from urllib.parse import urlsplit


def sandbox_post_url(public_base_url: str, handle: str, post_id: str) -> str:
    return f"{public_base_url.rstrip('/')}/sandbox/@{handle}/{post_id}"


def sandbox_media_type(url: str) -> Literal["image", "video"]:
    """The sandbox keeps media by URL only, so a URL's extension says its kind; anything not a video is a
    picture, the only other kind the sandbox accepts."""
    guessed = mimetypes.guess_type(urlsplit(url).path)[0] or ""
    return "video" if guessed.startswith("video/") else "image"
