"""A fake S3 endpoint on a real socket that checks AWS Signature V4 the way S3 does: it rebuilds the
canonical request from what arrived on the wire, signs it with the known secret and answers 403
``SignatureDoesNotMatch`` on any difference. Written apart from ``providers.storage.s3`` on purpose, so
a signing bug in the adapter cannot be mirrored here."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, unquote
from xml.sax.saxutils import escape

from tests.providers.wire_servers import Recorded, Reply, WireServer

_AUTH = re.compile(
    r"AWS4-HMAC-SHA256 Credential=(?P<key>[^/]+)/(?P<date>\d{8})/(?P<region>[^/]+)/s3/aws4_request,\s*"
    r"SignedHeaders=(?P<signed>[a-z0-9;-]+),\s*Signature=(?P<signature>[0-9a-f]{64})"
)
_NS = "http://s3.amazonaws.com/doc/2006-03-01/"
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>'
# Continuation tokens carry '+', '/' and '=' so a client that encodes its query wrongly fails the signature.
_TOKEN_PREFIX = "tok+/="
_BYTE_RANGE = re.compile(r"bytes=(?P<first>\d+)-(?P<last>\d+)")


def _error(status: int, code: str, message: str) -> Reply:
    body = f"{_XML_HEAD}<Error><Code>{code}</Code><Message>{message}</Message></Error>"
    return Reply(status, body.encode(), {"Content-Type": "application/xml"})


def _enc(value: str) -> str:
    return quote(value, safe="-_.~")


class S3Fake:
    def __init__(
        self, access_key: str = "AKIDTEST", secret_key: str = "s3cr3t/KEY+x", region: str = "eu-west-1"
    ):
        self.access_key = access_key
        self.secret_key = secret_key
        self.region = region
        self.objects: dict[tuple[str, str], tuple[bytes, str]] = {}
        self.page_size = 1000
        # What a missing key answers: 404, or 403 as AWS does for credentials without s3:ListBucket.
        self.missing_status = 404
        self.rejected: list[str] = []
        # Every Range GET served, as (first, last): proves slices were asked for, not whole objects.
        self.ranges: list[tuple[int, int]] = []
        self.queue: list[Reply] = []
        self.server = WireServer(self)

    def signature_problem(self, request: Recorded) -> str | None:
        """Why the request's signature is not valid, or None when it is."""
        match = _AUTH.fullmatch(request.headers.get("authorization", ""))
        if match is None:
            return "malformed Authorization header"
        if match["key"] != self.access_key or match["region"] != self.region:
            return "unknown access key or wrong region"
        amz_date = request.headers.get("x-amz-date", "")
        signed = match["signed"].split(";")
        if not {"host", "x-amz-date", "x-amz-content-sha256"} <= set(signed) or not amz_date.startswith(
            match["date"]
        ):
            return "required headers not signed"
        age = datetime.now(UTC) - datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        if abs(age.total_seconds()) > 900:
            return "request time too skewed"
        payload_hash = request.headers.get("x-amz-content-sha256", "")
        if payload_hash != hashlib.sha256(request.body).hexdigest():
            return "x-amz-content-sha256 does not match the body"
        pairs = [part.partition("=") for part in request.query.split("&") if part]
        query = "&".join(sorted(f"{_enc(unquote(k))}={_enc(unquote(v))}" for k, _, v in pairs))
        headers = "".join(f"{name}:{' '.join(request.headers.get(name, '').split())}\n" for name in signed)
        canonical = "\n".join([request.method, request.path, query, headers, match["signed"], payload_hash])
        scope = f"{match['date']}/{self.region}/s3/aws4_request"
        to_sign = f"AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{hashlib.sha256(canonical.encode()).hexdigest()}"
        key = ("AWS4" + self.secret_key).encode()
        for part in (match["date"], self.region, "s3", "aws4_request"):
            key = hmac.new(key, part.encode(), hashlib.sha256).digest()
        expected = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
        return None if hmac.compare_digest(expected, match["signature"]) else "signature does not match"

    def __call__(self, request: Recorded) -> Reply:
        problem = self.signature_problem(request)
        if problem is not None:
            self.rejected.append(problem)
            return _error(403, "SignatureDoesNotMatch", problem)
        if self.queue:
            return self.queue.pop(0)
        bucket, _, raw_key = request.path.lstrip("/").partition("/")
        key = unquote(raw_key)
        if not key:
            return self._list(bucket, request.query)
        stored = self.objects.get((bucket, key))
        if request.method == "PUT":
            self.objects[(bucket, key)] = (request.body, request.headers.get("content-type", ""))
            return Reply(200, headers={"ETag": f'"{hashlib.md5(request.body).hexdigest()}"'})
        if request.method == "DELETE":
            self.objects.pop((bucket, key), None)
            return Reply(204)
        if stored is None and request.method == "HEAD":
            return Reply(self.missing_status)
        if stored is None:
            if self.missing_status == 403:
                return _error(403, "AccessDenied", "Access Denied")
            return _error(404, "NoSuchKey", "The key does not exist")
        headers = {"Content-Type": stored[1], "Content-Length": str(len(stored[0])), "Accept-Ranges": "bytes"}
        wanted = _BYTE_RANGE.fullmatch(request.headers.get("range", ""))
        if request.method == "GET" and wanted is not None:
            # S3 answers a single "bytes=first-last" with 206 and only that slice.
            first, last = int(wanted["first"]), min(int(wanted["last"]), len(stored[0]) - 1)
            if first >= len(stored[0]):
                return _error(416, "InvalidRange", "The requested range is not satisfiable")
            part = stored[0][first : last + 1]
            headers["Content-Length"] = str(len(part))
            headers["Content-Range"] = f"bytes {first}-{last}/{len(stored[0])}"
            self.ranges.append((first, last))
            return Reply(206, part, headers)
        return Reply(200, stored[0] if request.method == "GET" else b"", headers)

    def _list(self, bucket: str, raw_query: str) -> Reply:
        params: dict[str, Any] = {
            unquote(k): unquote(v) for k, _, v in (p.partition("=") for p in raw_query.split("&"))
        }
        if params.get("list-type") != "2":
            return _error(400, "InvalidArgument", "only ListObjectsV2 is supported")
        prefix = params.get("prefix", "")
        keys = sorted(k for b, k in self.objects if b == bucket and k.startswith(prefix))
        token = params.get("continuation-token")
        if token:
            after = base64.b64decode(token.removeprefix(_TOKEN_PREFIX)).decode()
            keys = [k for k in keys if k > after]
        page, truncated = keys[: self.page_size], len(keys) > self.page_size
        contents = "".join(
            f"<Contents><Key>{escape(k)}</Key><Size>{len(self.objects[(bucket, k)][0])}</Size></Contents>"
            for k in page
        )
        more = ""
        if truncated:
            next_token = _TOKEN_PREFIX + base64.b64encode(page[-1].encode()).decode()
            more = f"<NextContinuationToken>{next_token}</NextContinuationToken>"
        body = (
            f'{_XML_HEAD}<ListBucketResult xmlns="{_NS}"><Name>{bucket}</Name>'
            f"<Prefix>{escape(prefix)}</Prefix><KeyCount>{len(page)}</KeyCount>"
            f"<IsTruncated>{str(truncated).lower()}</IsTruncated>{contents}{more}</ListBucketResult>"
        )
        return Reply(200, body.encode(), {"Content-Type": "application/xml"})
