"""Collaborations: how many members one may have, and how a caption names every member.

A collaboration's status is its batch's (``domain.batches.BatchStatus``): it has no lifecycle of its own."""

from __future__ import annotations

MIN_MEMBERS = 2
MAX_MEMBERS = 4
MAX_ITEMS = 20
DEFAULT_ITEMS = 4


def join_names(names: list[str]) -> str:
    """"A", "A and B", "A, B and C"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def with_mentions(caption: str, mentions: list[str], limit: int = 2200) -> str:
    """``caption`` naming every one of ``mentions`` (names or @handles): those it does not name yet are added
    in a closing line, so whatever wrote the caption, every member is named. Mentions are never cut off; the
    caption's own text is shortened instead when the limit requires."""
    # Case matters: a name written in lower case ("rosa") is not the member's name as they spell it.
    missing = [m for m in mentions if m not in caption]
    if not missing:
        return caption[:limit]
    line = f"With {join_names(missing)}."
    room = limit - len(line) - 1
    body = caption if len(caption) <= room else caption[: max(0, room - 1)].rstrip() + "…"
    return f"{body}\n{line}" if body else line
