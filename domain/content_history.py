"""Versions of a content item: what it looked like before a regenerate, caption fine-tune or edit."""

from __future__ import annotations

from typing import Any, Protocol

from core.time import utc_iso


class Versioned(Protocol):
    caption: str
    hashtags: list[Any]
    media_key: str | None
    prompt: str
    seed: int
    history: list[Any]


def push_version(item: Versioned) -> None:
    """Append the current caption, hashtags and media to the history (a new list, so the ORM sees it)."""
    snapshot = {
        "caption": item.caption,
        "hashtags": list(item.hashtags or []),
        "mediaKey": item.media_key,
        "prompt": item.prompt,
        "seed": item.seed,
        "replacedAt": utc_iso(),
    }
    item.history = [*(item.history or []), snapshot]
