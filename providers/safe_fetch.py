"""The one way the server fetches a URL a caller gave us (reference images now; imports, voice samples,
caption images, webhook deliveries), so none of them can be turned against the internal network.

Each hop: http(s) only, the host name resolved once, every resolved address checked, the connection pinned
to the checked address. Redirects are followed by hand (at most ``max_redirects``), each hop checked again;
one deadline covers DNS, every hop and the body; the body is capped while it streams. Every failure raises
the same ``UrlFetchFailed``; the specific reason goes to the log only.

``post_url`` sends a body (webhook deliveries) under the same checks and pinning; it follows no redirect (a
POST is not replayed to wherever a receiver points) and answers whatever status the receiver gave."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

import httpx

from core.errors import UrlFetchFailed, ValidationFailed
from core.settings import Settings

logger = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], Awaitable[Sequence[str]]]

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

# Reachable only when ``allow_private`` is on (development and tests): loopback and the private ranges.
_PRIVATE = tuple(
    ipaddress.ip_network(net)
    for net in ("127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "::1/128", "fc00::/7")
)
# Never reachable, whatever the settings; named so the log says why.
_REFUSED = tuple(
    (ipaddress.ip_network(net), reason)
    for net, reason in (
        ("0.0.0.0/8", "unspecified"),
        ("::/128", "unspecified"),
        ("169.254.0.0/16", "link-local or metadata"),
        ("fe80::/10", "link-local"),
        ("100.64.0.0/10", "carrier-grade NAT"),
        ("224.0.0.0/4", "multicast"),
        ("ff00::/8", "multicast"),
        ("240.0.0.0/4", "reserved"),
        ("fec0::/10", "site-local"),
    )
)
_NAT64 = tuple(ipaddress.ip_network(net) for net in ("64:ff9b::/96", "64:ff9b:1::/48"))


@dataclass(frozen=True)
class FetchPolicy:
    """What one fetch may do. ``exempt_networks`` admits a few exact addresses that would otherwise be refused
    (a caller that must reach one known internal host; tests that allow one hop and not the next)."""

    max_bytes: int
    allow_private: bool = False
    deadline_seconds: float = 15.0
    max_redirects: int = 3
    exempt_networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def from_settings(cls, settings: Settings, max_bytes: int, deadline_seconds: float = 15.0) -> FetchPolicy:
        return cls(max_bytes=max_bytes, allow_private=settings.allow_private_urls, deadline_seconds=deadline_seconds)


@dataclass(frozen=True)
class FetchedUrl:
    data: bytes
    content_type: str
    url: str
    """The URL the bytes came from, after redirects."""


@dataclass(frozen=True)
class PostedUrl:
    status_code: int
    retry_after: str | None
    """The receiver's ``Retry-After`` header, as sent."""


class _Refused(Exception):
    """Internal: why one fetch failed. Turned into the generic ``UrlFetchFailed`` before it leaves here."""


def refusal_reason(address: IPAddress, *, allow_private: bool) -> str | None:
    """Why the server must not connect to ``address``, or ``None`` when it may."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return "IPv4-mapped IPv6"  # No public name resolves to one; it only serves to dress up a v4 address.
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            inner = refusal_reason(embedded, allow_private=False)
            if inner is not None:
                return f"IPv6 embedding a {inner} IPv4 address"
    for network, reason in _REFUSED:
        if address in network:
            return reason
    if any(address in network for network in _PRIVATE):
        return None if allow_private else ("loopback" if address.is_loopback else "private")
    if address.is_multicast or address.is_reserved or address.is_unspecified or not address.is_global:
        return "not globally routable"
    return None


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address a 6to4, Teredo or NAT64 address reaches, if it is one of those."""
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if any(address in network for network in _NAT64):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


async def system_resolver(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for ``host`` (integer, octal and hex spellings included: the
    resolver parses them, and the check runs on what it answers)."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


async def fetch_url(
    url: str, field: str, policy: FetchPolicy, *, resolver: Resolver = system_resolver
) -> FetchedUrl:
    """GET ``url`` under ``policy``; ``UrlFetchFailed`` naming ``field`` for every failure."""
    try:
        async with asyncio.timeout(policy.deadline_seconds):
            return await _fetch(httpx.URL(url), policy, resolver)
    except (_Refused, TimeoutError, OSError, httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:
        logger.warning("safe_fetch.failed field=%s url=%r reason=%s: %s", field, url, type(exc).__name__, exc)
        raise UrlFetchFailed(field) from None
    except Exception:
        # Anything else (a library raising an odd type on odd input) still answers the one generic error;
        # the traceback goes to the log, where a bug can be seen without telling the caller anything.
        logger.exception("safe_fetch.failed field=%s url=%r reason=unexpected", field, url)
        raise UrlFetchFailed(field) from None


async def check_url(
    url: str, field: str, policy: FetchPolicy, *, message: str, resolver: Resolver = system_resolver
) -> None:
    """Refuse, with a 422 naming ``field`` and saying ``message``, a URL this policy would not connect to now
    (checked again on every request: a name may later resolve elsewhere)."""
    try:
        async with asyncio.timeout(policy.deadline_seconds):
            await _checked_address(httpx.URL(url), policy, resolver)
    except (_Refused, TimeoutError, OSError, httpx.InvalidURL, ValueError, UnicodeError) as exc:
        logger.warning("safe_fetch.refused field=%s url=%r reason=%s: %s", field, url, type(exc).__name__, exc)
        raise ValidationFailed(f"{field}: {message}", details=[{"field": field, "message": message}]) from None


async def post_url(
    url: str,
    field: str,
    policy: FetchPolicy,
    *,
    content: bytes,
    headers: dict[str, str],
    resolver: Resolver = system_resolver,
) -> PostedUrl:
    """POST ``content`` to ``url`` under ``policy``: any HTTP answer is returned (redirects included, not
    followed); a refused address, a network error or the deadline raise ``UrlFetchFailed`` naming ``field``."""
    try:
        async with asyncio.timeout(policy.deadline_seconds):
            return await _post(httpx.URL(url), policy, resolver, content, headers)
    except (_Refused, TimeoutError, OSError, httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:
        logger.warning("safe_fetch.post_failed field=%s url=%r reason=%s: %s", field, url, type(exc).__name__, exc)
        raise UrlFetchFailed(field) from None
    except Exception:
        logger.exception("safe_fetch.post_failed field=%s url=%r reason=unexpected", field, url)
        raise UrlFetchFailed(field) from None


async def _post(
    url: httpx.URL, policy: FetchPolicy, resolver: Resolver, content: bytes, headers: dict[str, str]
) -> PostedUrl:
    address = await _checked_address(url, policy, resolver)
    target, pinned_headers, extensions = _pinned(url, address)
    async with (
        httpx.AsyncClient(follow_redirects=False, trust_env=False, timeout=policy.deadline_seconds) as client,
        client.stream(
            "POST", target, content=content, headers={**headers, **pinned_headers}, extensions=extensions
        ) as response,
    ):
        # The answer's body means nothing to us: read at most ``max_bytes`` of it and hang up.
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > policy.max_bytes:
                break
        return PostedUrl(status_code=response.status_code, retry_after=response.headers.get("retry-after"))


async def _fetch(url: httpx.URL, policy: FetchPolicy, resolver: Resolver) -> FetchedUrl:
    for _ in range(policy.max_redirects + 1):
        address = await _checked_address(url, policy, resolver)
        target, headers, extensions = _pinned(url, address)
        # A client per hop: httpx pools connections by the URL's host, here the IP, so a shared client could
        # carry a hop to another name on the same IP over a TLS session verified for the previous name.
        # trust_env=False: no HTTP(S)_PROXY from the environment; a proxy would resolve the name itself.
        async with (
            httpx.AsyncClient(follow_redirects=False, trust_env=False, timeout=policy.deadline_seconds) as client,
            client.stream("GET", target, headers=headers, extensions=extensions) as response,
        ):
            if response.status_code in REDIRECT_STATUSES:
                location = response.headers.get("location")
                if not location:
                    raise _Refused(f"redirect {response.status_code} without a Location")
                url = url.join(location)
                continue
            if not 200 <= response.status_code < 300:
                raise _Refused(f"answered HTTP {response.status_code}")
            data = await _read_capped(response, policy.max_bytes)
            content_type = response.headers.get("content-type", "application/octet-stream")
            return FetchedUrl(data=data, content_type=content_type, url=str(url))
    raise _Refused(f"more than {policy.max_redirects} redirects")


async def _checked_address(url: httpx.URL, policy: FetchPolicy, resolver: Resolver) -> IPAddress:
    """Resolve the host once and check every address it has: one bad answer refuses the hop, so a name that
    mixes a public and an internal address cannot win by luck of ordering."""
    if url.scheme not in ("http", "https"):
        raise _Refused(f"scheme {url.scheme!r}")
    host = url.raw_host.decode("ascii")
    if not host:
        raise _Refused("no host")
    port = url.port or (443 if url.scheme == "https" else 80)
    if not 0 < port < 65536:
        raise _Refused(f"port {port}")
    answers = await resolver(host, port)
    if not answers:
        raise _Refused(f"{host} resolved to nothing")
    addresses = [ipaddress.ip_address(answer.split("%", 1)[0]) for answer in answers]
    for address in addresses:
        if any(address in network for network in policy.exempt_networks):
            continue
        reason = refusal_reason(address, allow_private=policy.allow_private)
        if reason is not None:
            raise _Refused(f"{host} resolves to {address} ({reason})")
    return addresses[0]


def _pinned(url: httpx.URL, address: IPAddress) -> tuple[httpx.URL, dict[str, str], dict[str, str]]:
    """The request for ``url`` sent to ``address`` and nowhere else.

    We rewrite the URL's host to the checked address, so httpx has no name left to resolve again (no second
    lookup that DNS rebinding could answer differently), and carry the name where it belongs: the ``Host``
    header for HTTP and, for HTTPS, httpcore's ``sni_hostname`` extension, which it passes to the TLS layer
    as ``server_hostname``: the SNI sent is the name, and the certificate is verified against the name (the
    default SSL context checks hostnames), not against the IP. This stays on public httpx API, unlike
    swapping the network backend inside httpx's transport."""
    host = url.raw_host.decode("ascii")
    extensions = {"sni_hostname": host} if url.scheme == "https" else {}
    # identity: a compressed body could inflate far past the cap within a single decoded chunk.
    headers = {"Host": url.netloc.decode("ascii"), "Accept-Encoding": "identity"}
    return url.copy_with(host=str(address)), headers, extensions


async def _read_capped(response: httpx.Response, max_bytes: int) -> bytes:
    """The body, refused as soon as it passes ``max_bytes``: a declared length over the cap before reading,
    and a running count while streaming (a server may send no length, or lie)."""
    declared = response.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > max_bytes:
        raise _Refused(f"Content-Length {declared} over the {max_bytes}-byte cap")
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise _Refused(f"body over the {max_bytes}-byte cap")
        chunks.append(chunk)
    return b"".join(chunks)
