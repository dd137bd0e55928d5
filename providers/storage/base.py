"""Media storage: content-addressed keys, so storing the same bytes twice (a retried activity) is a no-op."""

from __future__ import annotations

import hashlib
import mimetypes
from typing import Protocol

_EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp", "video/mp4": "mp4",
               "audio/mpeg": "mp3", "audio/wav": "wav", "audio/x-wav": "wav"}


def content_key(namespace: str, data: bytes, content_type: str) -> str:
    """``<namespace>/<sha256>.<ext>``: the same bytes in the same namespace always get the same key."""
    digest = hashlib.sha256(data).hexdigest()
    ext = _EXTENSIONS.get(content_type) or (mimetypes.guess_extension(content_type) or ".bin").lstrip(".")
    return f"{namespace.strip('/')}/{digest}.{ext}"


def check_key(key: str) -> str:
    """A relative ``a/b/c`` key with no empty, dot or dot-dot segments; ``ValueError`` otherwise.
    Shared by both backends so a key valid for one is valid for the other."""
    if not key or "\\" in key or "\x00" in key or key.startswith("/"):
        raise ValueError(f"invalid media key {key!r}")
    if any(part in ("", ".", "..") for part in key.split("/")):
        raise ValueError(f"invalid media key {key!r}")
    return key


def check_prefix(prefix: str) -> str:
    """A non-empty prefix: deleting "everything" is never what a caller of ``delete_prefix`` means."""
    if not prefix.strip("/"):
        raise ValueError("delete_prefix needs a non-empty prefix")
    check_key(prefix.rstrip("/"))
    return prefix


class MediaStorage(Protocol):
    async def put(self, namespace: str, data: bytes, content_type: str) -> str:
        """Store bytes under their content key and return the key."""
        ...

    async def get(self, key: str) -> bytes: ...

    async def size(self, key: str) -> int:
        """The object's length in bytes; ``NotFound`` when it is missing."""
        ...

    async def read_range(self, key: str, start: int, end: int) -> bytes:
        """Bytes ``start`` to ``end`` inclusive (clamped to the object), without reading the rest of it,
        so a large video is served in slices; ``NotFound`` when the object is missing."""
        ...

    async def exists(self, key: str) -> bool: ...

    async def delete(self, key: str) -> None:
        """Remove one object; deleting a missing key is not an error."""
        ...

    async def delete_prefix(self, prefix: str) -> int:
        """Remove every object under a prefix and say how many went."""
        ...

    def url(self, key: str) -> str:
        """The stable URL a client fetches the object from."""
        ...

    async def presigned_url(self, key: str, expires_seconds: int) -> str | None:
        """A URL that serves the object straight from the store for a while, or None where the store
        has no such thing (local files are served by the API itself)."""
        ...
