"""``post_url`` and ``check_url``, the safe fetcher's other two doors (webhooks): the same address rules and
pinning as a GET, any HTTP answer returned with its Retry-After, redirects not followed, one error otherwise."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from core.errors import UrlFetchFailed, ValidationFailed
from providers.safe_fetch import FetchPolicy, check_url, post_url
from tests.providers.wire_servers import Recorded, Reply, WireServer
from tests.utils.servers import free_port


def policy(allow_private: bool = True) -> FetchPolicy:
    return FetchPolicy(max_bytes=1000, allow_private=allow_private, deadline_seconds=5.0)


async def test_post_sends_the_body_and_headers_to_the_pinned_address_and_returns_the_answer() -> None:
    lookups: list[str] = []

    async def resolver(host: str, port: int) -> Sequence[str]:
        lookups.append(host)
        return ["127.0.0.1"]

    def reply(request: Recorded) -> Reply:
        return Reply(503, b"x" * 5000, {"Retry-After": "30"})  # a body over the cap is read no further

    with WireServer(reply) as server:
        port = server.base_url.rsplit(":", 1)[1]
        answer = await post_url(
            f"http://hooks.test:{port}/in", "url", policy(), content=b'{"a":1}',
            headers={"webhook-id": "evt_1", "content-type": "application/json"}, resolver=resolver,
        )  # fmt: skip
    assert (answer.status_code, answer.retry_after) == (503, "30")
    [request] = server.requests
    assert request.method == "POST" and request.body == b'{"a":1}'
    assert request.headers["webhook-id"] == "evt_1" and request.headers["host"] == f"hooks.test:{port}"
    assert lookups == ["hooks.test"]


async def test_post_does_not_follow_a_redirect() -> None:
    with WireServer(lambda r: Reply(307, b"", {"Location": "http://169.254.169.254/"})) as server:
        answer = await post_url(f"{server.base_url}/in", "url", policy(), content=b"{}", headers={})
    assert answer.status_code == 307
    assert len(server.requests) == 1


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/in", "http://10.1.2.3/in", "http://[::1]/in"])
async def test_post_to_a_private_address_is_refused_without_the_setting(url: str) -> None:
    with pytest.raises(UrlFetchFailed):
        await post_url(url, "url", policy(allow_private=False), content=b"{}", headers={})


async def test_post_to_a_closed_port_is_the_generic_error() -> None:
    with pytest.raises(UrlFetchFailed) as caught:
        await post_url(f"http://127.0.0.1:{free_port()}/in", "url", policy(), content=b"{}", headers={})
    assert caught.value.details == [{"field": "url", "message": "could not fetch the URL"}]


async def test_check_url_names_the_field_and_says_why() -> None:
    await check_url("http://127.0.0.1:9/in", "url", policy(), message="nope")  # allowed with the setting
    for url in ("http://127.0.0.1:9/in", "ftp://example.com/in", "http:///in", "http://169.254.169.254/"):
        with pytest.raises(ValidationFailed) as caught:
            await check_url(url, "url", policy(allow_private=False), message="not allowed here")
        assert caught.value.details == [{"field": "url", "message": "not allowed here"}]
