"""S3 storage against a real S3-compatible server (moto in server mode): objects, ranges, paged prefix
deletes, presigned URLs fetched without credentials, credentials from the standard chain (environment,
shared profile, web identity through STS), and ``/media`` redirecting to presigned URLs when asked."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from aiobotocore.session import get_session
from moto.server import ThreadedMotoServer

from api.app import create_app
from core.errors import NotFound
from core.settings import Settings
from providers.storage.s3 import S3MediaStorage
from tests.utils.servers import free_port, serve_in_thread

BUCKET = "media"
REGION = "eu-west-1"


@pytest.fixture(scope="module")
def moto_url() -> Iterator[str]:
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture(autouse=True)
def no_ambient_aws(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Each test decides where credentials come from; nothing leaks in from the machine."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
                 "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ENDPOINT_URL_STS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


async def make_bucket(moto_url: str) -> None:
    async with get_session().create_client(
        "s3", region_name=REGION, endpoint_url=moto_url, aws_access_key_id="admin", aws_secret_access_key="admin"
    ) as s3:
        try:
            await s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
        except s3.exceptions.BucketAlreadyOwnedByYou:
            pass


@pytest.fixture
async def storage(moto_url: str) -> AsyncIterator[S3MediaStorage]:
    await make_bucket(moto_url)
    storage = S3MediaStorage(
        endpoint_url=moto_url, bucket=BUCKET, region=REGION, access_key_id="AKIDEXAMPLE",
        secret_access_key="secret", public_base_url="https://api.example.com", list_page_size=2,
    )
    yield storage
    await storage.aclose()


async def test_objects_round_trip_with_ranges_and_missing_keys(storage: S3MediaStorage) -> None:
    data = bytes(range(256)) * 100
    key = await storage.put("acct/clips", data, "video/mp4")
    assert key.startswith("acct/clips/") and key.endswith(".mp4")
    assert await storage.get(key) == data
    assert await storage.size(key) == len(data)
    assert await storage.read_range(key, 1000, 1099) == data[1000:1100]
    assert await storage.exists(key)
    assert await storage.put("acct/clips", data, "video/mp4") == key  # content-addressed: same key
    with pytest.raises(NotFound):
        await storage.get("acct/clips/missing.mp4")
    await storage.delete(key)
    await storage.delete(key)  # a missing key is not an error
    assert not await storage.exists(key)


async def test_delete_prefix_pages_through_the_listing(storage: S3MediaStorage) -> None:
    keys = [await storage.put("inf_9/refs", bytes([i]) * 10, "image/png") for i in range(5)]
    keep = await storage.put("inf_10/refs", b"other", "image/png")
    assert await storage.delete_prefix("inf_9/") == 5  # pages of 2: three list calls
    assert [await storage.exists(key) for key in keys] == [False] * 5
    assert await storage.exists(keep)


async def test_presigned_url_serves_the_object_without_credentials(storage: S3MediaStorage, moto_url: str) -> None:
    key = await storage.put("acct/img", b"\x89PNG presigned", "image/png")
    url = await storage.presigned_url(key, 300)
    assert url is not None and url.startswith(f"{moto_url}/{BUCKET}/{key}?")
    assert "X-Amz-Expires=300" in url and "X-Amz-Signature=" in url
    async with httpx.AsyncClient() as client:
        fetched = await client.get(url)
    assert fetched.status_code == 200 and fetched.content == b"\x89PNG presigned"


async def test_credentials_from_environment_with_a_session_token(
    moto_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    await make_bucket(moto_url)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "ASIAENVEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "env-secret")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "env-session-token")
    storage = S3MediaStorage(endpoint_url=moto_url, bucket=BUCKET, region=REGION, public_base_url="http://x")
    try:
        assert await storage.credentials_source() == "env"
        key = await storage.put("env", b"from env", "image/png")
        assert await storage.get(key) == b"from env"
    finally:
        await storage.aclose()


async def test_credentials_from_a_shared_profile(
    moto_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    await make_bucket(moto_url)
    credentials = tmp_path / "credentials"
    credentials.write_text("[media-writer]\naws_access_key_id = AKIAPROFILE\naws_secret_access_key = profile-secret\n")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    monkeypatch.setenv("AWS_PROFILE", "media-writer")
    storage = S3MediaStorage(endpoint_url=moto_url, bucket=BUCKET, region=REGION, public_base_url="http://x")
    try:
        assert await storage.credentials_source() == "shared-credentials-file"
        key = await storage.put("profile", b"from a profile", "image/png")
        assert await storage.exists(key)
    finally:
        await storage.aclose()


async def test_credentials_from_a_web_identity_token_through_sts(
    moto_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """What EKS (IRSA) and other OIDC set-ups give a pod: a role and a token file, no keys at all."""
    await make_bucket(moto_url)
    token = tmp_path / "token"
    token.write_text("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ3b3JrZXIifQ.signature")
    monkeypatch.setenv("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/autopersonas-media")
    monkeypatch.setenv("AWS_WEB_IDENTITY_TOKEN_FILE", str(token))
    monkeypatch.setenv("AWS_ENDPOINT_URL_STS", moto_url)
    storage = S3MediaStorage(endpoint_url=moto_url, bucket=BUCKET, region=REGION, public_base_url="http://x")
    try:
        assert await storage.credentials_source() == "assume-role-with-web-identity"
        key = await storage.put("irsa", b"from a web identity", "image/png")
        assert await storage.get(key) == b"from a web identity"
    finally:
        await storage.aclose()


async def test_media_route_redirects_to_a_presigned_url_when_asked(
    storage: S3MediaStorage, moto_url: str, tmp_path: Path
) -> None:
    key = await storage.put("acct/content", b"pixels", "image/png")
    settings = Settings(
        data_dir=tmp_path, storage_backend="s3", s3_endpoint_url=moto_url, s3_bucket=BUCKET, s3_region=REGION,
        s3_access_key_id="AKIDEXAMPLE", s3_secret_access_key="secret", media_presigned=True,
        media_presign_seconds=120,
    )
    with serve_in_thread(create_app(settings)) as base_url:
        async with httpx.AsyncClient() as client:
            redirect = await client.get(f"{base_url}/media/{key}")
            assert redirect.status_code == 307
            location = redirect.headers["location"]
            assert location.startswith(f"{moto_url}/{BUCKET}/{key}?") and "X-Amz-Expires=120" in location
            assert (await client.get(location)).content == b"pixels"
            missing = await client.get(f"{base_url}/media/acct/content/none.png")
            assert missing.status_code == 404
