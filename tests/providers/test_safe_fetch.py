"""The safe URL fetcher against real sockets: internal addresses refused however they are spelled, every
redirect hop checked, one lookup per hop and the connection pinned to it, one deadline, a streaming size
cap, and one identical error for every failure."""

from __future__ import annotations

import asyncio
import ipaddress
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager, suppress

import pytest

from core.errors import UrlFetchFailed, ValidationFailed
from core.settings import Settings
from providers.safe_fetch import FetchPolicy, fetch_url, refusal_reason
from tests.providers.wire_servers import Recorded, Reply, WireServer, png_bytes
from tests.utils.servers import free_port

IMAGE = png_bytes(8, 8)
CAP = 100_000


def policy(**overrides: object) -> FetchPolicy:
    values: dict[str, object] = {"max_bytes": CAP, "deadline_seconds": 5.0}
    values.update(overrides)
    return FetchPolicy(**values)  # type: ignore[arg-type]


def image_reply(request: Recorded) -> Reply:
    return Reply(200, IMAGE, {"Content-Type": "image/png"})


async def refusal(url: str, fetch_policy: FetchPolicy, **kwargs: object) -> UrlFetchFailed:
    with pytest.raises(UrlFetchFailed) as caught:
        await fetch_url(url, "references.0.url", fetch_policy, **kwargs)  # type: ignore[arg-type]
    return caught.value


@asynccontextmanager
async def raw_server(handle: Callable[[asyncio.StreamWriter], Awaitable[None]]) -> AsyncIterator[str]:
    """A bare asyncio HTTP server, for answers ``WireServer`` cannot give (no Content-Length, a slow drip)."""

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        try:
            with suppress(ConnectionError):  # The fetcher hanging up mid-body is the point of these tests.
                await handle(writer)
        finally:
            writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.close()


class TestAddressClassifier:
    @pytest.mark.parametrize(
        "address",
        [
            "127.0.0.1", "127.8.9.10", "::1", "10.0.0.1", "172.16.5.4", "192.168.1.1", "fc00::1", "fd12:3456::1",
        ],
    )
    def test_loopback_and_private_are_refused_unless_allowed(self, address: str) -> None:
        ip = ipaddress.ip_address(address)
        assert refusal_reason(ip, allow_private=False) is not None
        assert refusal_reason(ip, allow_private=True) is None

    @pytest.mark.parametrize(
        "address",
        [
            "169.254.169.254",  # cloud metadata
            "fe80::1",
            "100.64.0.1",  # carrier-grade NAT
            "100.127.255.254",
            "224.0.0.1",
            "239.255.255.250",
            "ff02::1",
            "ff0e::1",  # global-scope multicast
            "0.0.0.0",
            "::",
            "240.0.0.1",
            "255.255.255.255",
            "::ffff:127.0.0.1",
            "::ffff:8.8.8.8",  # mapped is refused whatever it maps to
            "2002:7f00:1::",  # 6to4 of 127.0.0.1
            "2002:a9fe:a9fe::",  # 6to4 of 169.254.169.254
            "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
            "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
            "2001:0:4136:e378:8000:63bf:80ff:fffe",  # Teredo of 127.0.0.1
            "192.0.2.1",  # documentation
            "fec0::1",
        ],
    )
    def test_never_reachable_even_when_private_is_allowed(self, address: str) -> None:
        assert refusal_reason(ipaddress.ip_address(address), allow_private=True) is not None

    @pytest.mark.parametrize("address", ["8.8.8.8", "93.184.216.34", "2606:4700:4700::1111", "2002:808:808::"])
    def test_public_addresses_pass(self, address: str) -> None:
        assert refusal_reason(ipaddress.ip_address(address), allow_private=False) is None


class TestRefusedTargets:
    @pytest.mark.parametrize(
        "spelling", ["127.0.0.1", "2130706433", "0x7f000001", "017700000001", "[::1]", "[::ffff:127.0.0.1]"]
    )
    async def test_loopback_in_any_spelling_is_refused_by_default(self, spelling: str) -> None:
        with WireServer(image_reply) as server:
            port = server.base_url.rsplit(":", 1)[1]
            await refusal(f"http://{spelling}:{port}/a.png", policy())
            assert server.requests == []

    @pytest.mark.parametrize("url", ["ftp://127.0.0.1/a.png", "file:///etc/passwd", "gopher://example.com/"])
    async def test_schemes_other_than_http_are_refused(self, url: str) -> None:
        await refusal(url, policy(allow_private=True))

    async def test_a_name_with_one_internal_answer_among_public_ones_is_refused(self) -> None:
        async def mixed(host: str, port: int) -> Sequence[str]:
            return ["93.184.216.34", "10.0.0.5"]

        await refusal("http://mixed.test/a.png", policy(), resolver=mixed)


class TestAllowedFetch:
    async def test_allow_private_fetches_the_bytes(self) -> None:
        with WireServer(image_reply) as server:
            fetched = await fetch_url(f"{server.base_url}/a.png", "f", policy(allow_private=True))
        assert fetched.data == IMAGE
        assert fetched.content_type == "image/png"
        assert fetched.url == f"{server.base_url}/a.png"

    def test_allow_private_is_off_by_default_and_set_by_the_environment(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.delenv("AUTOPERSONAS_ALLOW_PRIVATE_URLS", raising=False)
        assert Settings(_env_file=None).allow_private_urls is False
        monkeypatch.setenv("AUTOPERSONAS_ALLOW_PRIVATE_URLS", "true")
        assert Settings(_env_file=None).allow_private_urls is True


class TestPinning:
    async def test_the_name_is_looked_up_once_and_the_connection_goes_to_that_answer(self) -> None:
        answers = [["127.0.0.1"], ["127.0.0.3"]]
        lookups: list[str] = []

        async def rebinding(host: str, port: int) -> Sequence[str]:
            lookups.append(host)
            return answers[min(len(lookups), len(answers)) - 1]

        with WireServer(image_reply) as server:
            port = server.base_url.rsplit(":", 1)[1]
            # "rebind.test" does not resolve anywhere: success proves httpx never looked the name up itself.
            fetched = await fetch_url(f"http://rebind.test:{port}/a.png", "f", policy(allow_private=True),
                                      resolver=rebinding)
        assert fetched.data == IMAGE
        assert lookups == ["rebind.test"]
        assert [r.headers["host"] for r in server.requests] == [f"rebind.test:{port}"]

    async def test_a_second_answer_pointing_inside_cannot_be_reached(self) -> None:
        lookups: list[str] = []

        async def rebinding(host: str, port: int) -> Sequence[str]:
            lookups.append(host)
            return ["127.0.0.1"] if len(lookups) == 1 else ["10.0.0.1"]

        with WireServer(image_reply) as server:
            port = server.base_url.rsplit(":", 1)[1]
            exempt = policy(exempt_networks=(ipaddress.ip_network("127.0.0.1/32"),))
            fetched = await fetch_url(f"http://rebind.test:{port}/a.png", "f", exempt, resolver=rebinding)
        assert fetched.data == IMAGE
        assert lookups == ["rebind.test"]


class TestRedirects:
    async def test_a_hop_to_loopback_is_refused_even_when_the_first_hop_is_allowed(self) -> None:
        with WireServer(image_reply, host="127.0.0.2") as inner:
            with WireServer(lambda r: Reply(302, headers={"Location": f"{inner.base_url}/secret.png"})) as outer:
                # Only the first hop's exact address is exempt; the redirect target is plain loopback.
                first_only = policy(exempt_networks=(ipaddress.ip_network("127.0.0.1/32"),))
                await refusal(f"{outer.base_url}/a.png", first_only)
                assert len(outer.requests) == 1
                assert inner.requests == []
                # The same chain with both addresses admitted goes through: the refusal was the hop check.
                both = policy(exempt_networks=(ipaddress.ip_network("127.0.0.0/30"),))
                fetched = await fetch_url(f"{outer.base_url}/a.png", "f", both)
        assert fetched.data == IMAGE
        assert fetched.url == f"{inner.base_url}/secret.png"

    @staticmethod
    def chain(request: Recorded) -> Reply:
        hop, total = (int(part) for part in request.path.strip("/").split("/")[1:3])
        if hop < total:
            return Reply(307, headers={"Location": f"/hop/{hop + 1}/{total}"})
        return image_reply(request)

    async def test_three_redirects_are_followed(self) -> None:
        with WireServer(self.chain) as server:
            fetched = await fetch_url(f"{server.base_url}/hop/0/3", "f", policy(allow_private=True))
        assert fetched.data == IMAGE
        assert fetched.url.endswith("/hop/3/3")

    async def test_a_fourth_redirect_is_refused(self) -> None:
        with WireServer(self.chain) as server:
            await refusal(f"{server.base_url}/hop/0/4", policy(allow_private=True))
            assert len(server.requests) == 4


class TestLimits:
    async def test_the_cap_stops_a_body_without_content_length_mid_stream(self) -> None:
        sent = 0

        async def endless(writer: asyncio.StreamWriter) -> None:
            nonlocal sent
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nConnection: close\r\n\r\n")
            while True:
                writer.write(b"\0" * 16384)
                sent += 16384
                await writer.drain()

        async with raw_server(endless) as base_url:
            started = time.monotonic()
            await refusal(f"{base_url}/big.png", policy(allow_private=True))
        assert time.monotonic() - started < 3
        assert sent < 50 * CAP  # an endless body: we stopped reading soon after the cap

    async def test_a_declared_length_over_the_cap_is_refused_before_reading(self) -> None:
        with WireServer(lambda r: Reply(200, b"\0" * (CAP + 1), {"Content-Type": "image/png"})) as server:
            await refusal(f"{server.base_url}/big.png", policy(allow_private=True))

    async def test_one_deadline_covers_a_server_that_drips_forever(self) -> None:
        async def drip(writer: asyncio.StreamWriter) -> None:
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nConnection: close\r\n\r\n")
            while True:  # Each byte arrives well inside any per-read timeout; only an overall deadline ends this.
                writer.write(b"\0")
                await writer.drain()
                await asyncio.sleep(0.05)

        async with raw_server(drip) as base_url:
            started = time.monotonic()
            await refusal(f"{base_url}/slow.png", policy(allow_private=True, deadline_seconds=0.5))
        assert time.monotonic() - started < 2

    async def test_the_deadline_covers_every_hop(self) -> None:
        def slow_chain(request: Recorded) -> Reply:
            hop = int(request.path.strip("/").split("/")[1])
            if hop < 3:
                return Reply(302, headers={"Location": f"/hop/{hop + 1}"}, delay=0.3)
            return Reply(200, IMAGE, {"Content-Type": "image/png"}, delay=0.3)

        with WireServer(slow_chain) as server:
            await refusal(f"{server.base_url}/hop/0", policy(allow_private=True, deadline_seconds=0.8))


class TestOneError:
    async def test_every_failure_reads_the_same(self) -> None:
        with (
            WireServer(image_reply) as open_server,
            WireServer(lambda r: Reply(200, IMAGE, delay=2.0)) as slow,
            WireServer(lambda r: Reply(404, b"nothing here")) as missing,
        ):
            errors = [
                await refusal(f"{open_server.base_url}/a.png", policy()),  # loopback refused
                await refusal(f"http://127.0.0.1:{free_port()}/a.png", policy(allow_private=True)),  # closed port
                await refusal(f"{slow.base_url}/a.png", policy(allow_private=True, deadline_seconds=0.3)),
                await refusal(f"{missing.base_url}/a.png", policy(allow_private=True)),
                await refusal("http://no-such-host.invalid/a.png", policy()),
                await refusal("http://127.0.0.1:99999/a.png", policy(allow_private=True)),
            ]
        answers = {(e.status_code, e.code, e.message, repr(e.details)) for e in errors}
        assert len(answers) == 1
        assert all(isinstance(e, ValidationFailed) for e in errors)
        assert errors[0].message == "references.0.url: could not fetch the URL"
        assert errors[0].details == [{"field": "references.0.url", "message": "could not fetch the URL"}]
