"""API keys this process has revoked, known the moment the revocation commits.

API processes cache keys for a couple of seconds (``api/keycache.py``); a revocation made by this same
process must not wait for that cache to expire. The set only grows: a revoked key never comes back."""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session

_revoked: set[str] = set()


def revoked_here(key_id: str) -> bool:
    """Whether this process committed the revocation of ``key_id``."""
    return key_id in _revoked


def note_revocation_on_commit(session: Session, key_id: str) -> None:
    """Mark ``key_id`` revoked once ``session`` commits; a rolled-back revocation leaves nothing behind."""

    def committed(_session: Session) -> None:
        _revoked.add(key_id)

    event.listen(session, "after_commit", committed, once=True)
