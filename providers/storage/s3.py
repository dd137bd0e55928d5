"""Media in an S3-compatible bucket (AWS S3, MinIO, Cloudflare R2, ...), spoken over plain httpx with our
own AWS Signature Version 4, path-style (``<endpoint>/<bucket>/<key>``) so any endpoint URL works."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from datetime import UTC, datetime
from urllib.parse import quote

import httpx

from core.errors import NotFound, PermanentProviderError, ProviderAuthError
from providers.http import send
from providers.storage.base import check_key, check_prefix, content_key

SERVICE = "s3"
ALGORITHM = "AWS4-HMAC-SHA256"
_DELETE_CONCURRENCY = 16


def uri_encode(value: str, *, keep_slash: bool = False) -> str:
    """AWS's URI encoding: everything but ``A-Z a-z 0-9 - _ . ~`` (and ``/`` in paths) as %XX."""
    return quote(value, safe="-_.~/" if keep_slash else "-_.~")


def _hmac(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).digest()


def sign_v4(
    *,
    method: str,
    path: str,
    query: Iterable[tuple[str, str]],
    headers: dict[str, str],
    payload_hash: str,
    access_key: str,
    secret_key: str,
    region: str,
    now: datetime,
    service: str = SERVICE,
) -> str:
    """The ``Authorization`` header value for a request. ``path`` is the URI-encoded path exactly as sent,
    ``query`` the decoded parameters, ``headers`` every header to sign (``host`` and ``x-amz-*`` at least)."""
    amz_date = now.strftime("%Y%m%dT%H%M%SZ")
    scope = f"{amz_date[:8]}/{region}/{service}/aws4_request"
    encoded_query = sorted((uri_encode(k), uri_encode(v)) for k, v in query)
    canonical_query = "&".join(f"{k}={v}" for k, v in encoded_query)
    normalized = sorted((name.lower(), " ".join(value.split())) for name, value in headers.items())
    signed_headers = ";".join(name for name, _ in normalized)
    canonical_request = "\n".join(
        [
            method.upper(),
            path,
            canonical_query,
            "".join(f"{name}:{value}\n" for name, value in normalized),
            signed_headers,
            payload_hash,
        ]
    )
    string_to_sign = "\n".join(
        [ALGORITHM, amz_date, scope, hashlib.sha256(canonical_request.encode("utf-8")).hexdigest()]
    )
    key = _hmac(f"AWS4{secret_key}".encode(), amz_date[:8])
    for part in (region, service, "aws4_request"):
        key = _hmac(key, part)
    signature = hmac.new(key, string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    credential = f"{access_key}/{scope}"
    return f"{ALGORITHM} Credential={credential}, SignedHeaders={signed_headers}, Signature={signature}"


def _local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def parse_list_page(xml_text: bytes) -> tuple[list[str], str | None]:
    """Keys and the next continuation token (None on the last page) of a ListObjectsV2 answer."""
    try:
        root = ET.fromstring(xml_text)
    except ET.ParseError as exc:
        raise PermanentProviderError(f"{SERVICE} answered an unreadable object listing: {exc}") from exc
    keys: list[str] = []
    truncated, token = False, None
    for element in root:
        name = _local_name(element.tag)
        if name == "Contents":
            keys += [child.text or "" for child in element if _local_name(child.tag) == "Key"]
        elif name == "IsTruncated":
            truncated = (element.text or "").strip().lower() == "true"
        elif name == "NextContinuationToken":
            token = element.text
    return keys, token if truncated else None


class S3MediaStorage:
    def __init__(
        self,
        *,
        endpoint_url: str,
        bucket: str,
        region: str,
        access_key_id: str,
        secret_access_key: str,
        public_base_url: str,
        timeout: float = 60.0,
    ) -> None:
        """``public_base_url``: media URLs point at the API's ``/media/<key>``, as with local storage, so
        private buckets work and switching backends changes no stored URL."""
        endpoint = httpx.URL(endpoint_url)
        self._origin = f"{endpoint.scheme}://{endpoint.netloc.decode('ascii')}"
        self._host = endpoint.netloc.decode("ascii")
        self._base_path = endpoint.path.rstrip("/") + "/" + uri_encode(bucket)
        self._region = region
        self._access_key = access_key_id
        self._secret_key = secret_access_key
        self._public_base_url = public_base_url.rstrip("/")
        self._http = httpx.AsyncClient(timeout=timeout)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def put(self, namespace: str, data: bytes, content_type: str) -> str:
        key = content_key(namespace, data, content_type)
        # Content-addressed: if the key exists it holds these bytes; skip re-uploading a retried put.
        try:
            present = await self.exists(key)
        except ProviderAuthError:
            # Without s3:ListBucket, S3 answers a missing key with 403, not 404: let the PUT decide.
            present = False
        if not present:
            await self._request("PUT", key, body=data, headers={"content-type": content_type})
        return key

    async def get(self, key: str) -> bytes:
        try:
            response = await self._request("GET", check_key(key))
        except PermanentProviderError as exc:
            if exc.status == 404:
                raise NotFound(f"media {key} not found") from exc
            raise
        return response.content

    async def size(self, key: str) -> int:
        try:
            response = await self._request("HEAD", check_key(key))
        except PermanentProviderError as exc:
            if exc.status == 404:
                raise NotFound(f"media {key} not found") from exc
            raise
        return int(response.headers.get("content-length", "0"))

    async def read_range(self, key: str, start: int, end: int) -> bytes:
        if end < start:
            return b""
        try:
            # An HTTP Range GET: S3 sends only the slice, so a long video is never held whole.
            response = await self._request("GET", check_key(key), headers={"range": f"bytes={start}-{end}"})
        except PermanentProviderError as exc:
            if exc.status == 404:
                raise NotFound(f"media {key} not found") from exc
            raise
        if response.status_code == 200:
            # An endpoint that ignores Range sends the whole object; keep only the slice asked for.
            return response.content[start : end + 1]
        return response.content

    async def exists(self, key: str) -> bool:
        try:
            await self._request("HEAD", check_key(key))
        except PermanentProviderError as exc:
            if exc.status == 404:
                return False
            raise
        return True

    async def delete(self, key: str) -> None:
        try:
            await self._request("DELETE", check_key(key))
        except PermanentProviderError as exc:
            if exc.status != 404:  # S3 answers 204 for a missing key; some compatibles answer 404.
                raise

    async def delete_prefix(self, prefix: str) -> int:
        check_prefix(prefix)
        removed = 0
        token: str | None = None
        while True:
            query = {"list-type": "2", "prefix": prefix}
            if token:
                query["continuation-token"] = token
            response = await self._request("GET", None, query=query)
            keys, token = parse_list_page(response.content)
            for start in range(0, len(keys), _DELETE_CONCURRENCY):
                await asyncio.gather(*(self.delete(key) for key in keys[start : start + _DELETE_CONCURRENCY]))
            removed += len(keys)
            if token is None:
                return removed

    def url(self, key: str) -> str:
        return f"{self._public_base_url}/media/{check_key(key)}"

    async def _request(
        self,
        method: str,
        key: str | None,
        *,
        query: dict[str, str] | None = None,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        path = self._base_path + (f"/{uri_encode(key, keep_slash=True)}" if key is not None else "")
        pairs = sorted((uri_encode(k), uri_encode(v)) for k, v in (query or {}).items())
        url = self._origin + path + ("?" + "&".join(f"{k}={v}" for k, v in pairs) if pairs else "")
        payload_hash = hashlib.sha256(body).hexdigest()
        now = datetime.now(UTC)
        signed = {
            "host": self._host,
            "x-amz-content-sha256": payload_hash,
            "x-amz-date": now.strftime("%Y%m%dT%H%M%SZ"),
            **(headers or {}),
        }
        authorization = sign_v4(
            method=method,
            path=path,
            query=(query or {}).items(),
            headers=signed,
            payload_hash=payload_hash,
            access_key=self._access_key,
            secret_key=self._secret_key,
            region=self._region,
            now=now,
        )
        return await send(
            self._http,
            method,
            url,
            service=SERVICE,
            content=body if method == "PUT" else None,
            headers={**signed, "authorization": authorization},
        )
