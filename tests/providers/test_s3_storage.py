"""S3 storage against a local endpoint that verifies every Signature V4: passing tests prove the signing."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from core.errors import NotFound, ProviderAuthError, TransientProviderError
from providers.storage.base import content_key
from providers.storage.s3 import S3MediaStorage
from tests.providers.wire_s3 import S3Fake
from tests.providers.wire_servers import Reply


@pytest.fixture
def fake() -> Iterator[S3Fake]:
    fake = S3Fake()
    with fake.server:
        yield fake


def make_storage(fake: S3Fake, *, secret: str | None = None) -> S3MediaStorage:
    return S3MediaStorage(
        endpoint_url=fake.server.base_url,
        bucket="media",
        region=fake.region,
        access_key_id=fake.access_key,
        secret_access_key=secret or fake.secret_key,
        public_base_url="https://api.example.com/",
        timeout=2.0,
    )


@pytest.fixture
async def storage(fake: S3Fake) -> AsyncIterator[S3MediaStorage]:
    storage = make_storage(fake)
    yield storage
    await storage.aclose()


async def test_put_then_get_round_trips_bytes_under_the_content_key(
    fake: S3Fake, storage: S3MediaStorage
) -> None:
    data = b"\x89PNG fake image bytes \x00\xff"

    key = await storage.put("inf_1/images", data, "image/png")

    assert key == content_key("inf_1/images", data, "image/png")
    assert fake.objects[("media", key)] == (data, "image/png")
    assert await storage.get(key) == data
    (put,) = fake.server.requests_to("PUT", f"/media/{key}")
    assert "content-type" in put.headers["authorization"]  # the content type is signed too
    assert fake.rejected == []


async def test_keys_with_spaces_and_unicode_are_encoded_as_signed(
    fake: S3Fake, storage: S3MediaStorage
) -> None:
    key = await storage.put("inf 1/ümlaut+plus", b"x", "image/jpeg")

    assert await storage.get(key) == b"x"
    assert ("media", key) in fake.objects
    assert fake.server.requests_to("GET", "/media/inf%201/%C3%BCmlaut%2Bplus/.*")
    assert fake.rejected == []


async def test_second_put_of_the_same_bytes_uploads_nothing(fake: S3Fake, storage: S3MediaStorage) -> None:
    first = await storage.put("ns", b"same", "image/png")
    second = await storage.put("ns", b"same", "image/png")

    assert first == second
    assert len(fake.server.requests_to("PUT", "/media/.*")) == 1
    assert len(fake.server.requests_to("HEAD", "/media/.*")) == 2


async def test_put_without_list_permission_still_uploads(fake: S3Fake, storage: S3MediaStorage) -> None:
    fake.missing_status = 403

    key = await storage.put("ns", b"private", "image/png")

    assert fake.objects[("media", key)] == (b"private", "image/png")
    assert await storage.get(key) == b"private"


async def test_missing_object_raises_not_found_and_does_not_exist(storage: S3MediaStorage) -> None:
    with pytest.raises(NotFound, match=r"ns/missing\.png"):
        await storage.get("ns/missing.png")
    assert await storage.exists("ns/missing.png") is False


async def test_delete_removes_and_tolerates_missing_keys(fake: S3Fake, storage: S3MediaStorage) -> None:
    key = await storage.put("ns", b"bye", "image/png")
    assert await storage.exists(key) is True

    await storage.delete(key)
    await storage.delete(key)

    assert await storage.exists(key) is False
    assert fake.objects == {}


async def test_delete_prefix_pages_through_the_listing(fake: S3Fake, storage: S3MediaStorage) -> None:
    fake.page_size = 2
    doomed = [await storage.put("inf_1/images", bytes([i]), "image/png") for i in range(5)]
    kept = [
        await storage.put("inf_12/images", b"other", "image/png"),
        await storage.put("inf_2", b"o", "video/mp4"),
    ]

    removed = await storage.delete_prefix("inf_1/")

    assert removed == 5
    assert sorted(key for _, key in fake.objects) == sorted(kept)
    listings = fake.server.requests_to("GET", "/media")
    assert len(listings) == 3
    assert "continuation-token=tok%2B%2F%3D" in listings[1].query  # '+', '/', '=' encoded exactly as signed
    assert all(key not in {k for _, k in fake.objects} for key in doomed)
    assert fake.rejected == []


async def test_delete_prefix_refuses_an_empty_prefix(storage: S3MediaStorage) -> None:
    with pytest.raises(ValueError, match="non-empty prefix"):
        await storage.delete_prefix("/")


async def test_wrong_secret_is_refused_by_signature_check(fake: S3Fake) -> None:
    storage = make_storage(fake, secret="not-the-secret")
    try:
        with pytest.raises(ProviderAuthError, match="SignatureDoesNotMatch") as caught:
            await storage.get("ns/a.png")
    finally:
        await storage.aclose()
    assert caught.value.status == 403
    assert fake.rejected == ["signature does not match"]


async def test_slow_down_is_transient_with_retry_after(fake: S3Fake, storage: S3MediaStorage) -> None:
    fake.queue.append(Reply(503, b"<Error><Code>SlowDown</Code></Error>", {"Retry-After": "2"}))

    with pytest.raises(TransientProviderError) as caught:
        await storage.put("ns", b"x", "image/png")
    assert caught.value.retry_after == 2 and caught.value.status == 503


async def test_traversal_keys_are_rejected_before_any_request(fake: S3Fake, storage: S3MediaStorage) -> None:
    for key in ("../secret", "/abs/key", "a//b", "a/./b"):
        with pytest.raises(ValueError, match="invalid media key"):
            await storage.get(key)
    assert fake.server.requests == []


def test_url_points_at_the_api_media_route(storage: S3MediaStorage) -> None:
    assert storage.url("ns/abc.png") == "https://api.example.com/media/ns/abc.png"


async def test_read_range_asks_s3_for_the_slice_only(fake: S3Fake, storage: S3MediaStorage) -> None:
    data = bytes(range(256)) * 40
    key = await storage.put("inf_1/clips", data, "video/mp4")
    assert await storage.size(key) == len(data)
    assert await storage.read_range(key, 100, 199) == data[100:200]
    assert fake.ranges == [(100, 199)]
    assert fake.rejected == []
    with pytest.raises(NotFound):
        await storage.size("inf_1/clips/missing.mp4")
    with pytest.raises(NotFound):
        await storage.read_range("inf_1/clips/missing.mp4", 0, 9)
