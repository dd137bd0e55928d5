"""PKCE (RFC 7636) verifier and S256 challenges.

The standard challenge is BASE64URL(SHA256(verifier)) without padding. TikTok's Login Kit documents
the hex encoding of the SHA256 digest instead, so both encodings live here; each adapter's
``code_challenge`` picks the one its platform checks."""

from __future__ import annotations

import base64
import hashlib
import secrets

_MIN_LENGTH = 43
_MAX_LENGTH = 128


def new_code_verifier(length: int = 64) -> str:
    """A high-entropy verifier of unreserved characters, 43 to 128 long as RFC 7636 requires."""
    if not _MIN_LENGTH <= length <= _MAX_LENGTH:
        raise ValueError(f"a PKCE verifier must be {_MIN_LENGTH}-{_MAX_LENGTH} characters, not {length}")
    # token_urlsafe yields only [A-Za-z0-9_-], all of them unreserved; 3 bytes give 4 characters.
    return secrets.token_urlsafe(length)[:length]


def s256_challenge(code_verifier: str) -> str:
    digest = hashlib.sha256(code_verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def s256_hex_challenge(code_verifier: str) -> str:
    return hashlib.sha256(code_verifier.encode("ascii")).hexdigest()


def new_state() -> str:
    """An unguessable OAuth ``state`` value for CSRF protection."""
    return secrets.token_urlsafe(32)
