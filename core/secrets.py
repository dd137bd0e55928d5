"""API key secrets: ``ap_live_`` + 43 url-safe characters, stored only as a SHA-256 hash.

A fast hash is right here (unlike passwords): the secret has 256 bits of entropy, so there is nothing
to brute-force, and every request must look the key up quickly."""

from __future__ import annotations

import hashlib
import re
import secrets

KEY_PREFIX = "ap_live_"
_KEY_PATTERN = re.compile(r"^ap_live_[A-Za-z0-9_-]{43}$")


def new_api_secret() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def is_well_formed(secret: str) -> bool:
    return bool(_KEY_PATTERN.match(secret))


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def display_prefix(secret: str) -> str:
    """Enough of the key for a person to tell keys apart in a listing, too little to use."""
    return secret[: len(KEY_PREFIX) + 4]
