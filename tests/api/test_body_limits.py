"""Body caps: an oversized ``Content-Length`` is refused unread, a chunked body is refused once it passes the
cap (also when an ``Idempotency-Key`` makes a middleware buffer it), and a normal upload still works.

Raw sockets, so the test controls exactly what is sent: httpx would insist on sending the whole body."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from urllib.parse import urlsplit

import httpx

from tests.api.test_content import managed_profile, upload_content
from tests.utils.factories import Tenant
from tests.utils.stack import Stack


async def _raw_request(base_url: str, head: str, body_parts: list[bytes]) -> tuple[int, dict[str, str], bytes]:
    """Send a request head and body parts on one connection; return status, headers and body of the answer."""
    url = urlsplit(base_url)
    assert url.hostname is not None and url.port is not None
    raw = await asyncio.to_thread(_exchange, url.hostname, url.port, [head.encode("latin-1"), *body_parts])
    head_bytes, _, payload = raw.partition(b"\r\n\r\n")
    lines = head_bytes.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    if headers.get("transfer-encoding") == "chunked":
        payload = _unchunk(payload)
    return int(lines[0].split()[1]), headers, payload


def _exchange(host: str, port: int, parts: list[bytes]) -> bytes:
    """Write beside reading: a server that refuses early closes with the rest unread (a reset), so writing
    may fail; the answer is read as it arrives and kept even if a reset ends the connection."""
    with socket.create_connection((host, port), timeout=30) as sock:

        def send_all() -> None:
            try:
                for part in parts:
                    sock.sendall(part)
            except OSError:
                return

        sender = threading.Thread(target=send_all)
        sender.start()
        received = b""
        try:
            while not _complete(received):
                chunk = sock.recv(65536)
                if not chunk:
                    break
                received += chunk
        except ConnectionResetError:
            pass
        sender.join()
    return received


def _complete(data: bytes) -> bool:
    head, sep, payload = data.partition(b"\r\n\r\n")
    if not sep:
        return False
    for line in head.decode("latin-1").split("\r\n")[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            return len(payload) >= int(value)
    return payload.endswith(b"0\r\n\r\n")


def _unchunk(data: bytes) -> bytes:
    out = b""
    while data:
        size_line, _, rest = data.partition(b"\r\n")
        size = int(size_line, 16)
        if size == 0:
            break
        out += rest[:size]
        data = rest[size + 2:]
    return out


def _chunk(data: bytes) -> bytes:
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


def _head(method: str, path: str, host: str, headers: dict[str, str]) -> str:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    return "\r\n".join(lines) + "\r\n\r\n"


class TestBodyCaps:
    async def test_oversized_content_length_is_413_before_the_body_is_sent(
        self, stack: Stack, tenant: Tenant
    ) -> None:
        # The head promises a gigabyte and nothing follows: an answer proves the server never waited for it.
        head = _head("POST", "/api/v1/influencers", "api", {
            **tenant.headers, "Content-Type": "application/json", "Content-Length": str(1024**3),
            "Idempotency-Key": "big-one",
        })  # fmt: skip
        status, headers, body = await _raw_request(stack.base_url, head, [])
        assert status == 413
        error = json.loads(body)["error"]
        assert error["code"] == "payload_too_large"
        assert error["details"] == {"limitBytes": stack.settings.max_body_bytes}
        assert "x-request-id" in headers

    async def test_oversized_multipart_content_length_is_413(self, stack: Stack, tenant: Tenant) -> None:
        head = _head("POST", "/api/v1/content", "api", {
            **tenant.headers, "Content-Type": "multipart/form-data; boundary=x",
            "Content-Length": str(stack.settings.max_multipart_bytes + 1),
        })  # fmt: skip
        status, _, body = await _raw_request(stack.base_url, head, [])
        assert status == 413
        assert json.loads(body)["error"]["details"] == {"limitBytes": stack.settings.max_multipart_bytes}

    async def test_chunked_json_body_past_the_cap_is_413(self, stack: Stack, tenant: Tenant) -> None:
        limit = stack.settings.max_body_bytes
        head = _head("POST", "/api/v1/influencers", "api", {
            **tenant.headers, "Content-Type": "application/json", "Transfer-Encoding": "chunked",
        })  # fmt: skip
        parts = [_chunk(b" " * (limit // 4)) for _ in range(5)] + [b"0\r\n\r\n"]
        status, _, body = await _raw_request(stack.base_url, head, parts)
        assert status == 413
        assert json.loads(body)["error"]["code"] == "payload_too_large"

    async def test_chunked_body_with_idempotency_key_is_capped_not_buffered(
        self, stack: Stack, tenant: Tenant
    ) -> None:
        limit = stack.settings.max_body_bytes
        head = _head("POST", "/api/v1/influencers", "api", {
            **tenant.headers, "Content-Type": "application/json", "Transfer-Encoding": "chunked",
            "Idempotency-Key": "chunked-big",
        })  # fmt: skip
        parts = [_chunk(b" " * (limit // 4)) for _ in range(5)] + [b"0\r\n\r\n"]
        status, _, body = await _raw_request(stack.base_url, head, parts)
        assert status == 413
        assert json.loads(body)["error"]["code"] == "payload_too_large"

    async def test_chunked_body_under_the_cap_still_works(self, stack: Stack, tenant: Tenant) -> None:
        payload = json.dumps({"name": "Chunked"}).encode()
        head = _head("POST", "/api/v1/influencers", "api", {
            **tenant.headers, "Content-Type": "application/json", "Transfer-Encoding": "chunked",
        })  # fmt: skip
        status, _, body = await _raw_request(stack.base_url, head, [_chunk(payload), b"0\r\n\r\n"])
        assert status == 201, body
        assert json.loads(body)["name"] == "Chunked"

    async def test_normal_upload_still_works(self, http: httpx.AsyncClient, tenant: Tenant) -> None:
        profile_id = await managed_profile(http, tenant)
        created = await upload_content(http, tenant, profile_id)
        assert created["status"] == "pending_review"
