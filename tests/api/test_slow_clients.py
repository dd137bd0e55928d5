"""A slow client or a slow server must not hold the database: while uploads trickle in at one byte per half
second, or reference URLs are served at a crawl, another tenant's writes and ``/readyz`` still answer at
once. More slow requests run than the PostgreSQL pool has connections (10 + 10 overflow), so a request
that held a connection across its body read or its fetch would starve the others there too; on SQLite one
such request holding the write lock is enough to block every writer.

The bound below is a correctness bound (the blocked request would wait for the slow ones to finish, ~8 s,
or for the 30 s busy/pool timeout), not a speed figure."""

from __future__ import annotations

import asyncio
import contextlib
import io
import time
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import httpx
from PIL import Image

from core.scopes import ALL_SCOPES
from tests.utils.factories import Tenant, add_key, create_influencer, make_tenant
from tests.utils.stack import Stack

SLOW_REQUESTS = 21  # one more than the PostgreSQL pool holds
TRICKLE_SECONDS = 8.0
BOUND_SECONDS = 5.0


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 80, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


async def _answers_promptly(http: httpx.AsyncClient, stack: Stack) -> None:
    """Another tenant (its first request, so its key's last use is written too) creates an influencer."""
    other = await make_tenant(stack.sessions)
    started = time.monotonic()
    created = await http.post(
        "/api/v1/influencers", json={"name": "Unblocked"}, headers=other.headers, timeout=BOUND_SECONDS
    )
    assert created.status_code == 201, created.text
    ready = await http.get("/readyz", timeout=BOUND_SECONDS)
    assert ready.status_code == 200, ready.text
    assert time.monotonic() - started < BOUND_SECONDS


async def _trickle_upload(base_url: str, path: str, tenant: Tenant, stop: asyncio.Event) -> None:
    """Send the headers and the start of a multipart body, then one byte every half second until told to stop."""
    parts = urlsplit(base_url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    boundary = "slowboundary"
    body = (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"views\"\r\n\r\nfront\r\n"
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"f.png\"\r\n"
        "Content-Type: image/png\r\n\r\n"
    ).encode() + png_bytes() + f"\r\n--{boundary}--\r\n".encode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nAuthorization: Bearer {tenant.secret}\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode()
    try:
        writer.write(head + body[:10])
        await writer.drain()
        for byte in body[10:]:
            if stop.is_set():
                break
            writer.write(bytes([byte]))
            await writer.drain()
            await asyncio.sleep(0.5)
    finally:
        writer.close()
        with contextlib.suppress(Exception):
            await writer.wait_closed()
        del reader


@contextlib.asynccontextmanager
async def slow_image_server() -> AsyncIterator[str]:
    """An HTTP server that sends a PNG's headers at once and its body over about eight seconds."""
    image = png_bytes()
    chunk = max(1, len(image) // 16)

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await reader.readuntil(b"\r\n\r\n")
            writer.write(
                f"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: {len(image)}\r\n"
                "Connection: close\r\n\r\n".encode()
            )
            for start in range(0, len(image), chunk):
                writer.write(image[start : start + chunk])
                await writer.drain()
                await asyncio.sleep(TRICKLE_SECONDS / 16)
        except (ConnectionError, asyncio.IncompleteReadError):
            return
        finally:
            writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.close()


class TestSlowClientsDoNotHoldTheDatabase:
    async def test_trickled_uploads_leave_other_tenants_writing(
        self, stack: Stack, http: httpx.AsyncClient
    ) -> None:
        stop = asyncio.Event()
        slow = []
        for _ in range(SLOW_REQUESTS):
            tenant = await make_tenant(stack.sessions)  # fresh keys: each first use writes last_used_at
            slow.append(tenant)
        influencer = await create_influencer(http, slow[0])
        paths = [f"/api/v1/influencers/{influencer['id']}/references"] + [
            "/api/v1/characters/analyze-photos" if i % 2 else "/api/v1/content" for i in range(1, SLOW_REQUESTS)
        ]
        uploads = [
            asyncio.create_task(_trickle_upload(stack.base_url, path, tenant, stop))
            for path, tenant in zip(paths, slow, strict=True)
        ]
        try:
            await asyncio.sleep(1.5)  # every slow request is authenticated and inside its body read
            await _answers_promptly(http, stack)
        finally:
            stop.set()
            await asyncio.gather(*uploads, return_exceptions=True)

    async def test_slow_reference_url_servers_leave_other_tenants_writing(
        self, stack: Stack, http: httpx.AsyncClient
    ) -> None:
        async with slow_image_server() as server_url:
            owners = [await make_tenant(stack.sessions) for _ in range(SLOW_REQUESTS)]
            influencers = [await create_influencer(http, owner) for owner in owners]
            # A second, unused key per owner makes the slow request the key's first use (a last_used_at write).
            owners = [await add_key(stack.sessions, owner.account_id, ALL_SCOPES) for owner in owners]
            fetches = [
                asyncio.create_task(
                    http.post(
                        f"/api/v1/influencers/{influencer['id']}/references",
                        json={"references": [{"view": "front", "url": f"{server_url}/slow-{i}.png"}]},
                        headers=owner.headers,
                    )
                )
                for i, (influencer, owner) in enumerate(zip(influencers, owners, strict=True))
            ]
            await asyncio.sleep(1.5)  # every fetch is under way
            assert not any(f.done() for f in fetches)
            await _answers_promptly(http, stack)
            answers = await asyncio.gather(*fetches)
        assert [a.status_code for a in answers] == [200] * SLOW_REQUESTS, [a.text for a in answers]
