"""Ids and seeds derived from what they are for, never from a clock or ``random``: a retried activity
finds what the first attempt made, and the same input always draws the same picture.

``hash()`` is salted per process; sha256 is not, so these are stable across workers and restarts."""

from __future__ import annotations

import hashlib
import random


def _digest(*parts: object) -> str:
    return hashlib.sha256(":".join(str(p) for p in parts).encode()).hexdigest()


def derived_id(prefix: str, *parts: object) -> str:
    """An id fixed by what it is for (batch and position), so a retried activity finds, not duplicates."""
    return f"{prefix}_{_digest(*parts)[:16]}"


def derived_seed(*parts: object) -> int:
    """A 31-bit seed for a generation step (fits every provider's seed field)."""
    return int(_digest(*parts)[:8], 16) & 0x7FFFFFFF


def stable_seed(*parts: object) -> int:
    """A 64-bit seed from any parts, for the local generators' own random streams."""
    digest = hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).digest()
    return int.from_bytes(digest[:8], "big")


def seeded_random(*parts: object) -> random.Random:
    """A ``random.Random`` that depends only on ``parts``."""
    return random.Random(stable_seed(*parts))
