"""Media in a local directory, served by the API under ``/media/<key>``.

Writes go to a temporary file in the target directory and are renamed into place, so a reader never sees
half a file and a crash leaves no truncated object behind a valid key."""

from __future__ import annotations

import asyncio
import os
import secrets
from pathlib import Path, PurePosixPath

from core.errors import NotFound
from providers.storage.base import check_key, check_prefix, content_key

_PARTIAL_SUFFIX = ".partial"


class LocalMediaStorage:
    def __init__(self, root: Path, public_base_url: str) -> None:
        self._root = root.resolve()
        self._public_base_url = public_base_url.rstrip("/")

    @property
    def root(self) -> Path:
        return self._root

    def path(self, key: str) -> Path:
        path = (self._root / check_key(key)).resolve()
        # Belt and braces against symlinks inside the media root pointing out of it.
        if not path.is_relative_to(self._root):
            raise ValueError(f"invalid media key {key!r}")
        return path

    async def put(self, namespace: str, data: bytes, content_type: str) -> str:
        key = content_key(namespace, data, content_type)
        await asyncio.to_thread(self._write, self.path(key), data)
        return key

    async def get(self, key: str) -> bytes:
        path = self.path(key)
        try:
            return await asyncio.to_thread(path.read_bytes)
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as exc:
            raise NotFound(f"media {key} not found") from exc

    async def size(self, key: str) -> int:
        path = self.path(key)
        try:
            stat = await asyncio.to_thread(path.stat)
        except (FileNotFoundError, NotADirectoryError) as exc:
            raise NotFound(f"media {key} not found") from exc
        if not path.is_file():
            raise NotFound(f"media {key} not found")
        return stat.st_size

    async def read_range(self, key: str, start: int, end: int) -> bytes:
        path = self.path(key)
        try:
            return await asyncio.to_thread(self._read_slice, path, start, end)
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as exc:
            raise NotFound(f"media {key} not found") from exc

    async def exists(self, key: str) -> bool:
        return await asyncio.to_thread(self.path(key).is_file)

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self.path(key).unlink, missing_ok=True)

    async def delete_prefix(self, prefix: str) -> int:
        return await asyncio.to_thread(self._delete_prefix, check_prefix(prefix))

    def url(self, key: str) -> str:
        return f"{self._public_base_url}/media/{check_key(key)}"

    async def presigned_url(self, key: str, expires_seconds: int) -> str | None:
        return None  # the API's /media route is the only way to these files

    @staticmethod
    def _read_slice(path: Path, start: int, end: int) -> bytes:
        if end < start:
            return b""
        with path.open("rb") as handle:
            handle.seek(start)
            return handle.read(end - start + 1)

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        if path.is_file():  # Content-addressed: same key, same bytes; a retried put has nothing to do.
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        # A writer killed mid-write (a worker's SIGKILL) leaves its temp file behind. The same bytes are being
        # written again now, so earlier temps of this name are garbage; a concurrent writer of the same bytes
        # whose temp goes here finds the file in place below and loses nothing.
        for stale in path.parent.glob(f".{path.name}.*{_PARTIAL_SUFFIX}"):
            stale.unlink(missing_ok=True)
        temp = path.with_name(f".{path.name}.{secrets.token_hex(6)}{_PARTIAL_SUFFIX}")
        try:
            with temp.open("wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, path)
        except FileNotFoundError:
            if not path.is_file():
                raise
        finally:
            temp.unlink(missing_ok=True)

    def _delete_prefix(self, prefix: str) -> int:
        # String-prefix semantics like S3's ListObjects ("inf_1" also matches "inf_12/"), walking only the
        # deepest directory the prefix names.
        directory = prefix.rsplit("/", 1)[0] if "/" in prefix else ""
        base = self._root / directory
        if not base.is_dir():
            return 0
        removed = 0
        # Empty directories stay: removing them would race with a concurrent put into the same namespace.
        for path in list(base.rglob("*")):
            key = PurePosixPath(path.relative_to(self._root)).as_posix()
            if key.startswith(prefix) and path.is_file() and not path.name.endswith(_PARTIAL_SUFFIX):
                path.unlink(missing_ok=True)
                removed += 1
        return removed
