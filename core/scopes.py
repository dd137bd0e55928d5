"""The nine API key scopes, with their wire values exactly as the reference spells them."""

from __future__ import annotations

from enum import StrEnum


class Scope(StrEnum):
    CHARACTER_READ = "character:read"
    CHARACTER_WRITE = "character:write"
    CONTENT_READ = "content:read"
    CONTENT_WRITE = "content:write"
    CONTENT_GENERATE = "content:generate"
    PUBLISHING_WRITE = "publishing:write"
    ANALYTICS_READ = "analytics:read"
    PROFILE_READ = "profile:read"
    PROFILE_WRITE = "profile:write"


ALL_SCOPES: tuple[Scope, ...] = tuple(Scope)


def parse_scopes(raw: str) -> list[Scope]:
    """``"a:read,b:write"`` to scopes; an unknown name raises ValueError naming it."""
    scopes: list[Scope] = []
    for part in (p.strip() for p in raw.split(",")):
        if not part:
            continue
        try:
            scopes.append(Scope(part))
        except ValueError as exc:
            valid = ", ".join(s.value for s in Scope)
            raise ValueError(f"unknown scope {part!r}; valid scopes: {valid}") from exc
    return scopes
