"""Hostile images for tests: a real, valid PNG that is tiny on disk and huge once decoded."""

from __future__ import annotations

import struct
import zlib


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_png(width: int = 14_000, height: int = 12_000) -> bytes:
    """A valid 1-bit grayscale PNG of ``width`` x ``height`` black pixels: a few dozen KB compressed,
    ``width * height`` bytes once Pillow decodes it (168 MB at the default size)."""
    row = b"\x00" + b"\x00" * ((width + 7) // 8)  # filter byte "none", then packed bits
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")
