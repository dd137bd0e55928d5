"""S3-compatible media storage through aiobotocore, the maintained asynchronous client of botocore.

Credentials come from the standard AWS chain unless given: environment variables (session tokens
included), shared profiles (``AWS_PROFILE``), web-identity tokens (EKS, IRSA), container and instance
roles, refreshed by botocore as they expire. Keys are path-style, so MinIO and other compatibles work
as well as AWS. Media URLs point at the API's ``/media/<key>``; with presigned media on, that route
answers with a redirect to a short-lived presigned GET URL instead of proxying the bytes."""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack
from typing import Any

from aiobotocore.config import AioConfig
from aiobotocore.session import get_session
from botocore.exceptions import BotoCoreError, ClientError, EndpointConnectionError

from core.errors import NotFound, PermanentProviderError, ProviderAuthError, TransientProviderError
from providers.storage.base import check_key, check_prefix, content_key

SERVICE = "s3"
_MISSING = {"404", "NoSuchKey", "NotFound"}
_DENIED = {"403", "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken"}
_DELETE_CONCURRENCY = 16  # one DELETE per key: DeleteObjects is not offered by every S3 compatible


class S3MediaStorage:
    def __init__(
        self,
        *,
        bucket: str,
        region: str,
        public_base_url: str,
        endpoint_url: str | None = None,
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
        session_token: str | None = None,
        timeout: float = 60.0,
        list_page_size: int = 1000,
    ) -> None:
        """Without ``access_key_id`` the standard credential chain decides; ``endpoint_url`` None is AWS."""
        self._bucket = bucket
        self._public_base_url = public_base_url.rstrip("/")
        self._page_size = list_page_size
        self._client_args: dict[str, Any] = {
            "region_name": region,
            "endpoint_url": endpoint_url,
            "aws_access_key_id": access_key_id,
            "aws_secret_access_key": secret_access_key,
            "aws_session_token": session_token,
            "config": AioConfig(
                s3={"addressing_style": "path"},
                signature_version="s3v4",  # presigned URLs too (botocore would presign SigV2 otherwise)
                connect_timeout=timeout,
                read_timeout=timeout,
                # No retries inside botocore: retry decisions (and Retry-After) live in one place, the
                # activities' typed-error policy, as for every other provider.
                retries={"mode": "standard", "total_max_attempts": 1},
            ),
        }
        self._session = get_session()
        self._exit_stack = AsyncExitStack()
        self._client: Any = None
        self._opening = asyncio.Lock()

    async def _s3(self) -> Any:
        """One client per storage, opened on first use (in the event loop that uses it)."""
        if self._client is None:
            async with self._opening:
                if self._client is None:
                    client = self._session.create_client("s3", **self._client_args)
                    self._client = await self._exit_stack.enter_async_context(client)
        return self._client

    async def aclose(self) -> None:
        await self._exit_stack.aclose()
        self._client = None

    async def put(self, namespace: str, data: bytes, content_type: str) -> str:
        key = content_key(namespace, data, content_type)
        # Content-addressed: if the key exists it holds these bytes; skip re-uploading a retried put.
        try:
            present = await self.exists(key)
        except ProviderAuthError:
            # Without s3:ListBucket, S3 answers a missing key with 403, not 404: let the PUT decide.
            present = False
        if not present:
            await self._call("put_object", Key=key, Body=data, ContentType=content_type)
        return key

    async def get(self, key: str) -> bytes:
        response = await self._call("get_object", Key=check_key(key))
        async with response["Body"] as body:
            data: bytes = await body.read()
        return data

    async def size(self, key: str) -> int:
        response = await self._call("head_object", Key=check_key(key))
        return int(response["ContentLength"])

    async def read_range(self, key: str, start: int, end: int) -> bytes:
        if end < start:
            return b""
        # A Range GET: S3 sends only the slice, so a long video is never held whole.
        response = await self._call("get_object", Key=check_key(key), Range=f"bytes={start}-{end}")
        async with response["Body"] as body:
            data: bytes = await body.read()
        if "ContentRange" not in response:
            # An endpoint that ignores Range sends the whole object; keep only the slice asked for.
            return data[start : end + 1]
        return data

    async def exists(self, key: str) -> bool:
        try:
            await self._call("head_object", Key=check_key(key))
        except NotFound:
            return False
        return True

    async def delete(self, key: str) -> None:
        try:
            await self._call("delete_object", Key=check_key(key))
        except NotFound:
            return  # S3 answers 204 for a missing key; some compatibles answer 404.

    async def delete_prefix(self, prefix: str) -> int:
        check_prefix(prefix)
        s3 = await self._s3()
        removed = 0
        pages = s3.get_paginator("list_objects_v2").paginate(
            Bucket=self._bucket, Prefix=prefix, PaginationConfig={"PageSize": self._page_size}
        )
        try:
            async for page in pages:
                keys = [entry["Key"] for entry in page.get("Contents", [])]
                for start in range(0, len(keys), _DELETE_CONCURRENCY):
                    await asyncio.gather(*(self.delete(key) for key in keys[start : start + _DELETE_CONCURRENCY]))
                removed += len(keys)
        except (ClientError, BotoCoreError) as exc:
            raise _provider_error(exc, prefix) from exc
        return removed

    def url(self, key: str) -> str:
        return f"{self._public_base_url}/media/{check_key(key)}"

    async def presigned_url(self, key: str, expires_seconds: int) -> str | None:
        """A GET URL for the object that works without credentials for ``expires_seconds``."""
        s3 = await self._s3()
        url: str = await s3.generate_presigned_url(
            "get_object", Params={"Bucket": self._bucket, "Key": check_key(key)}, ExpiresIn=expires_seconds
        )
        return url

    async def credentials_source(self) -> str:
        """Where the credentials come from: ``explicit`` (settings), else what the chain found
        (``env``, ``shared-credentials-file``, ``assume-role-with-web-identity``, ``iam-role``...)."""
        if self._client_args["aws_access_key_id"]:
            return "explicit"
        credentials = await self._session.get_credentials()
        return "none" if credentials is None else str(credentials.method)

    async def _call(self, operation: str, **params: Any) -> Any:
        s3 = await self._s3()
        try:
            return await getattr(s3, operation)(Bucket=self._bucket, **params)
        except (ClientError, BotoCoreError) as exc:
            raise _provider_error(exc, str(params.get("Key", ""))) from exc


def _provider_error(exc: Exception, key: str) -> Exception:
    """botocore's failures as our typed errors: missing → NotFound, refused → auth, busy or down → retry."""
    if isinstance(exc, EndpointConnectionError):
        return TransientProviderError(f"{SERVICE} unreachable: {exc}")
    if not isinstance(exc, ClientError):
        return TransientProviderError(f"{SERVICE} failed: {exc}")
    error = exc.response.get("Error", {})
    code = str(error.get("Code", ""))
    status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
    if code in _MISSING or status == 404:
        return NotFound(f"media {key} not found")
    if code in _DENIED or status == 403:
        return ProviderAuthError(f"{SERVICE} refused the credentials: {code}", status=status)
    if status == 429 or status >= 500 or code in ("SlowDown", "RequestTimeout", "ServiceUnavailable"):
        retry_after = exc.response.get("ResponseMetadata", {}).get("HTTPHeaders", {}).get("retry-after")
        return TransientProviderError(
            f"{SERVICE} busy: {code}", status=status, retry_after=float(retry_after) if retry_after else None
        )
    return PermanentProviderError(f"{SERVICE} request failed: {code}", status=status)
