"""Encryption of platform tokens at rest (Fernet: AES-128-CBC + HMAC-SHA256, with a timestamp).

The key comes from ``AUTOPERSONAS_SECRET_KEY``; without it one is generated once into
``DATA_DIR/secret.key`` (mode 0600), so a laptop install is encrypted without any setup. Every API and
worker process of a deployment must share the key."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken

from core.settings import Settings


class TokenCipher:
    def __init__(self, key: bytes) -> None:
        self._fernet = Fernet(key)

    def encrypt(self, value: dict[str, Any] | str) -> bytes:
        raw = value if isinstance(value, str) else json.dumps(value, default=str)
        return self._fernet.encrypt(raw.encode())

    def decrypt_text(self, token: bytes) -> str:
        try:
            return self._fernet.decrypt(token).decode()
        except InvalidToken as exc:
            raise ValueError("stored secret cannot be decrypted with this AUTOPERSONAS_SECRET_KEY") from exc

    def decrypt(self, token: bytes) -> dict[str, Any]:
        value: dict[str, Any] = json.loads(self.decrypt_text(token))
        return value


def load_cipher(settings: Settings) -> TokenCipher:
    if settings.secret_key is not None:
        return TokenCipher(settings.secret_key.get_secret_value().encode())
    path = Path(settings.data_dir) / "secret.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL: when the API and the worker start together, exactly one of them writes the key.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as handle:
                handle.write(Fernet.generate_key())
    for _ in range(100):  # the other process may still be writing it
        key = path.read_bytes().strip()
        if key:
            return TokenCipher(key)
        time.sleep(0.02)
    raise RuntimeError(f"{path} is empty; delete it to generate a new key")
