"""Seed a sandbox account with a history to import: N past posts in one recognisable voice, mostly pictures
with a video among them, spread over past months, written straight to the sandbox's own table the way a
real platform already holds an account's past posts.

The media are real files (small PNGs and an MP4) at content-addressed keys, so their URLs are known before
they are stored: give ``storage`` and they are stored here; otherwise the caller stores
``history_media()`` itself. ``media_base_url`` is where those keys are served (the API's ``/media``)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from PIL import Image
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from providers.storage.base import MediaStorage, content_key
from store.db import transaction
from store.models import SandboxPost, SocialAccount
from store.repositories.sandbox import SandboxRepository
from tests.utils.mp4 import tiny_mp4

NAMESPACE = "tests/sandbox-history"
# One voice: lowercase, a coastal runner, an em dash and a sign-off she always uses.
OPENERS = (
    "sunrise miles on the cliff path",
    "salt on everything again",
    "tide was out so we ran the flats",
    "slow recovery day — coffee first",
    "new shoes, same old hill",
    "fog rolled in halfway up",
    "harbour loop with the club",
    "rain gear tested, rain gear failed",
)
CLOSERS = ("see you out there 🌊", "keep it easy, keep it honest 🌊", "that's the log 🌊")
COLORS = ("#1b4965", "#62b6cb", "#bee9e8", "#cae9ff", "#5fa8d3")
VIDEO_EVERY = 7  # every seventh post is a video, the first one among them


@dataclass(frozen=True)
class HistoryMedia:
    key: str
    data: bytes
    content_type: str


def _png(color: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (48, 48), color).save(buffer, format="PNG")
    return buffer.getvalue()


def history_media() -> tuple[list[HistoryMedia], HistoryMedia]:
    """(pictures, video): the files the seeded posts point at, at the keys storage gives them."""
    pictures = [HistoryMedia(content_key(NAMESPACE, _png(c), "image/png"), _png(c), "image/png") for c in COLORS]
    clip = tiny_mp4("teal")
    return pictures, HistoryMedia(content_key(NAMESPACE, clip, "video/mp4"), clip, "video/mp4")


def history_caption(index: int) -> str:
    return f"{OPENERS[index % len(OPENERS)]} (day {index + 1}) — {CLOSERS[index % len(CLOSERS)]}"


async def seed_sandbox_history(
    sessions: async_sessionmaker[AsyncSession],
    account: SocialAccount | str,
    count: int,
    *,
    media_base_url: str,
    storage: MediaStorage | None = None,
    now: datetime | None = None,
) -> list[SandboxPost]:
    """Insert ``count`` past posts for the sandbox account (a row or its platform user id), newest first in
    the result: one every ~3 days going back from yesterday (40 posts span about four months), a video every
    seventh post starting with the first, a picture on the others."""
    platform_user_id = account if isinstance(account, str) else account.platform_user_id
    pictures, video = history_media()
    if storage is not None:
        for item in (*pictures, video):
            await storage.put(NAMESPACE, item.data, item.content_type)
    base = media_base_url.rstrip("/")
    start = (now or datetime.now(UTC)) - timedelta(days=1)
    posts = []
    async with transaction(sessions) as session:
        repo = SandboxRepository(session)
        for index in range(count):
            media = video if index % VIDEO_EVERY == 0 else pictures[index % len(pictures)]
            created_at = start - timedelta(days=3 * index, hours=index % 11, minutes=7 * index % 60)
            url = f"{base}/{media.key}"
            posts.append(await repo.add_historical_post(platform_user_id, history_caption(index), [url], created_at))
    return posts
