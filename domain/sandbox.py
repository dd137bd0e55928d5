"""Where a sandbox post lives publicly, what kind its media are, and how its engagement grows: rules shared
by the sandbox platform, its adapter, the API's account view and the tests that check analytics."""

from __future__ import annotations

import hashlib
import mimetypes
from datetime import timedelta
from typing import Literal
from urllib.parse import urlsplit


def sandbox_post_url(public_base_url: str, handle: str, post_id: str) -> str:
    return f"{public_base_url.rstrip('/')}/sandbox/@{handle}/{post_id}"


def sandbox_media_type(url: str) -> Literal["image", "video"]:
    """The sandbox keeps media by URL only, so a URL's extension says its kind; anything not a video is a
    picture, the only other kind the sandbox accepts."""
    guessed = mimetypes.guess_type(urlsplit(url).path)[0] or ""
    return "video" if guessed.startswith("video/") else "image"


def _dials(seed: str) -> bytes:
    return hashlib.sha256(seed.encode()).digest()


def sandbox_post_engagement(post_id: str, age: timedelta) -> dict[str, int]:
    """The sandbox's counters of a post of this age: each post has its own audience size and like, comment
    and share ratios (from its id), and its views approach that audience along ``(h + 1) / (h + 25)`` of its
    age in hours, so they start above zero, grow fast on the first day and never fall. Deterministic, so
    analytics work offline and a time-skipping test can compute every figure it expects."""
    dials = _dials(post_id)
    audience = 500 + int.from_bytes(dials[:4], "big") % 20_000
    hours = max(age.total_seconds(), 0.0) / 3600
    views = audience * (hours + 1) // (hours + 25)
    likes = views * (2 + dials[4] % 9) // 100
    return {
        "views": int(views),
        "likes": int(likes),
        "comments": int(likes // (4 + dials[5] % 6)),
        "shares": int(likes // (6 + dials[6] % 10)),
    }


def sandbox_followers(platform_user_id: str, age: timedelta) -> int:
    """A sandbox account's followers: a base of its own plus a steady gain per day since it connected."""
    dials = _dials(platform_user_id)
    base = 100 + int.from_bytes(dials[:2], "big") % 5_000
    per_day = 5 + dials[2] % 50
    return base + int(max(age.total_seconds(), 0.0) // 86_400 * per_day)
