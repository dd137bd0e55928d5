"""``/media/...`` speaks HTTP Range (RFC 9110), so a ``<video>`` can seek and platforms can pull a video in
parts: single ranges answer 206 with ``Content-Range``, a range past the end 416, HEAD the headers alone,
and the nosniff/CSP headers stay on every answer."""

from __future__ import annotations

import os

import httpx
import pytest

from api.media.routes import SLICE_BYTES, Unsatisfiable, parse_range
from tests.utils.mp4 import tiny_mp4
from tests.utils.stack import Stack


async def stored_mp4(stack: Stack, data: bytes | None = None) -> tuple[str, bytes]:
    """(path of its /media URL, bytes) of an MP4 stored through the stack's own storage."""
    data = data if data is not None else tiny_mp4()
    key = await stack.deps.storage.put("tests/range", data, "video/mp4")
    return httpx.URL(stack.deps.storage.url(key)).path, data


def assert_media_headers(response: httpx.Response) -> None:
    assert response.headers["accept-ranges"] == "bytes"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "default-src 'none'" in response.headers["content-security-policy"]


class TestParseRange:
    def test_the_three_forms(self) -> None:
        assert parse_range("bytes=0-99", 1000) == (0, 99)
        assert parse_range("bytes=900-", 1000) == (900, 999)
        assert parse_range("bytes=-100", 1000) == (900, 999)

    def test_last_position_past_the_end_is_clamped(self) -> None:
        assert parse_range("bytes=990-5000", 1000) == (990, 999)
        assert parse_range("bytes=-5000", 1000) == (0, 999)

    def test_unreadable_or_multiple_ranges_are_ignored(self) -> None:
        for header in (None, "bytes=5-1", "items=0-1", "bytes=0-1,5-9", "bytes=-", "bytes=a-b"):
            assert parse_range(header, 1000) is None

    def test_start_past_the_end_or_empty_suffix_is_unsatisfiable(self) -> None:
        for header, size in (("bytes=1000-", 1000), ("bytes=1000-1001", 1000), ("bytes=-0", 1000), ("bytes=-5", 0)):
            with pytest.raises(Unsatisfiable):
                parse_range(header, size)


class TestMediaRanges:
    async def test_whole_file_is_200_and_advertises_ranges(self, stack: Stack, http: httpx.AsyncClient) -> None:
        path, data = await stored_mp4(stack)
        response = await http.get(path)
        assert response.status_code == 200
        assert response.headers["content-type"] == "video/mp4"
        assert response.headers["content-length"] == str(len(data))
        assert "content-range" not in response.headers
        assert response.content == data
        assert_media_headers(response)

    async def test_closed_range_is_206_with_only_those_bytes(self, stack: Stack, http: httpx.AsyncClient) -> None:
        path, data = await stored_mp4(stack)
        response = await http.get(path, headers={"Range": "bytes=0-99"})
        assert response.status_code == 206
        assert response.headers["content-range"] == f"bytes 0-99/{len(data)}"
        assert response.headers["content-length"] == "100"
        assert response.content == data[:100]
        assert_media_headers(response)

    async def test_open_range_runs_to_the_end(self, stack: Stack, http: httpx.AsyncClient) -> None:
        path, data = await stored_mp4(stack)
        response = await http.get(path, headers={"Range": "bytes=100-"})
        assert response.status_code == 206
        assert response.headers["content-range"] == f"bytes 100-{len(data) - 1}/{len(data)}"
        assert response.content == data[100:]

    async def test_suffix_range_is_the_last_bytes(self, stack: Stack, http: httpx.AsyncClient) -> None:
        path, data = await stored_mp4(stack)
        response = await http.get(path, headers={"Range": "bytes=-64"})
        assert response.status_code == 206
        assert response.headers["content-range"] == f"bytes {len(data) - 64}-{len(data) - 1}/{len(data)}"
        assert response.content == data[-64:]

    async def test_range_past_the_end_is_416_with_the_size(self, stack: Stack, http: httpx.AsyncClient) -> None:
        path, data = await stored_mp4(stack)
        response = await http.get(path, headers={"Range": f"bytes={len(data)}-"})
        assert response.status_code == 416
        assert response.headers["content-range"] == f"bytes */{len(data)}"
        assert response.content == b""
        assert_media_headers(response)

    async def test_head_gives_the_headers_without_a_body(self, stack: Stack, http: httpx.AsyncClient) -> None:
        path, data = await stored_mp4(stack)
        whole = await http.head(path)
        assert whole.status_code == 200
        assert whole.headers["content-length"] == str(len(data))
        assert whole.headers["content-type"] == "video/mp4"
        assert whole.content == b""
        assert_media_headers(whole)
        part = await http.head(path, headers={"Range": "bytes=10-19"})
        assert part.status_code == 206
        assert part.headers["content-range"] == f"bytes 10-19/{len(data)}"
        assert part.headers["content-length"] == "10"
        assert part.content == b""

    async def test_missing_file_is_404_for_get_and_head(self, http: httpx.AsyncClient) -> None:
        missing = "/media/tests/range/" + "0" * 64 + ".mp4"
        response = await http.get(missing, headers={"Range": "bytes=0-1"})
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
        assert (await http.head(missing)).status_code == 404

    async def test_file_larger_than_a_slice_streams_whole_and_across_slices(
        self, stack: Stack, http: httpx.AsyncClient
    ) -> None:
        data = os.urandom(2 * SLICE_BYTES + 12345)
        path, _ = await stored_mp4(stack, data)
        whole = await http.get(path)
        assert whole.status_code == 200 and whole.content == data
        first, last = SLICE_BYTES - 10, 2 * SLICE_BYTES + 10
        across = await http.get(path, headers={"Range": f"bytes={first}-{last}"})
        assert across.status_code == 206
        assert across.content == data[first : last + 1]
