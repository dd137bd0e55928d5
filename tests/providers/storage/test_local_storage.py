"""Local directory storage: content addressing, atomic writes, key safety, prefix deletes."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import NotFound
from providers.storage.base import content_key
from providers.storage.local.provider import LocalMediaStorage


@pytest.fixture
def storage(tmp_path: Path) -> LocalMediaStorage:
    return LocalMediaStorage(tmp_path / "media", "http://127.0.0.1:8000/")


async def test_put_then_get_round_trips_bytes_under_the_content_key(storage: LocalMediaStorage) -> None:
    data = b"\x00video bytes\xff" * 100

    key = await storage.put("inf_1/videos", data, "video/mp4")

    assert key == content_key("inf_1/videos", data, "video/mp4") and key.endswith(".mp4")
    assert (storage.root / key).read_bytes() == data
    assert await storage.get(key) == data
    assert await storage.exists(key) is True


async def test_put_leaves_no_partial_files(storage: LocalMediaStorage) -> None:
    key = await storage.put("ns", b"abc", "image/png")

    assert [p.name for p in (storage.root / "ns").iterdir()] == [key.split("/")[-1]]


async def test_put_again_after_a_writer_died_clears_its_partial_file(storage: LocalMediaStorage) -> None:
    # What a worker killed mid-write leaves: the temp file of the same content key, never renamed.
    name = content_key("ns", b"abc", "image/png").split("/")[-1]
    (storage.root / "ns").mkdir(parents=True)
    (storage.root / "ns" / f".{name}.deadbeef0000.partial").write_bytes(b"ab")

    key = await storage.put("ns", b"abc", "image/png")

    assert [p.name for p in (storage.root / "ns").iterdir()] == [key.split("/")[-1]]


async def test_second_put_of_the_same_bytes_is_a_no_op(storage: LocalMediaStorage) -> None:
    key = await storage.put("ns", b"same", "image/png")
    path = storage.root / key
    before = path.stat()

    again = await storage.put("ns", b"same", "image/png")

    assert again == key
    assert (path.stat().st_ino, path.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


async def test_missing_key_raises_not_found(storage: LocalMediaStorage) -> None:
    with pytest.raises(NotFound, match=r"ns/missing\.png"):
        await storage.get("ns/missing.png")
    assert await storage.exists("ns/missing.png") is False


@pytest.mark.parametrize(
    "key", ["../outside.png", "/etc/passwd", "ns/../../x", "a//b", "./a", "a\\..\\b", ""]
)
async def test_traversal_keys_are_rejected(storage: LocalMediaStorage, key: str) -> None:
    with pytest.raises(ValueError, match="invalid media key"):
        await storage.get(key)
    with pytest.raises(ValueError, match="invalid media key"):
        storage.url(key)


async def test_traversal_namespace_is_rejected_on_put(storage: LocalMediaStorage, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="invalid media key"):
        await storage.put("../../escape", b"x", "image/png")
    assert not (tmp_path / "escape").exists()


async def test_symlink_out_of_the_root_is_rejected(storage: LocalMediaStorage, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("secret")
    storage.root.mkdir(parents=True)
    (storage.root / "link").symlink_to(outside)

    with pytest.raises(ValueError, match="invalid media key"):
        await storage.get("link/secret.txt")


async def test_delete_removes_and_tolerates_missing_keys(storage: LocalMediaStorage) -> None:
    key = await storage.put("ns", b"bye", "image/png")

    await storage.delete(key)
    await storage.delete(key)

    assert await storage.exists(key) is False


async def test_delete_prefix_removes_only_what_the_prefix_names(storage: LocalMediaStorage) -> None:
    doomed = [await storage.put("inf_1/images", bytes([i]), "image/png") for i in range(3)]
    doomed.append(await storage.put("inf_1/videos", b"v", "video/mp4"))
    kept = [
        await storage.put("inf_12/images", b"k", "image/png"),
        await storage.put("inf_2", b"k", "image/png"),
    ]

    removed = await storage.delete_prefix("inf_1/")

    assert removed == 4
    assert [await storage.exists(key) for key in doomed] == [False] * 4
    assert [await storage.exists(key) for key in kept] == [True, True]
    assert await storage.delete_prefix("nothing/here/") == 0


async def test_delete_prefix_has_s3_string_prefix_semantics(storage: LocalMediaStorage) -> None:
    keys = [await storage.put("inf_1", b"a", "image/png"), await storage.put("inf_12", b"b", "image/png")]

    assert await storage.delete_prefix("inf_1") == 2
    assert [await storage.exists(key) for key in keys] == [False, False]


async def test_delete_prefix_refuses_an_empty_prefix(storage: LocalMediaStorage) -> None:
    with pytest.raises(ValueError, match="non-empty prefix"):
        await storage.delete_prefix("")


def test_url_is_public_base_plus_media_route(storage: LocalMediaStorage) -> None:
    assert storage.url("ns/abc.png") == "http://127.0.0.1:8000/media/ns/abc.png"


async def test_size_and_read_range_read_only_the_slice(storage: LocalMediaStorage) -> None:
    data = bytes(range(256)) * 40
    key = await storage.put("inf_1/clips", data, "video/mp4")
    assert await storage.size(key) == len(data)
    assert await storage.read_range(key, 100, 199) == data[100:200]
    assert await storage.read_range(key, len(data) - 5, len(data) + 100) == data[-5:]
    with pytest.raises(NotFound):
        await storage.size("inf_1/clips/missing.mp4")
    with pytest.raises(NotFound):
        await storage.read_range("inf_1/clips/missing.mp4", 0, 9)
