"""A fake TikTok Content Posting + Display API: the ``{data, error: {code, message, log_id}}`` envelope,
hex-S256 PKCE at the token endpoint, FILE_UPLOAD chunk rules and sequential Content-Range checks, and
(with ``download_pulls``) PULL_FROM_URL videos fetched from their URL as TikTok does, failing the publish
with ``video_pull_failed`` when the URL does not give an MP4."""

from __future__ import annotations

import hashlib
import itertools
import re
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from tests.providers.social.fakes.server import FailureQueue

MIN_CHUNK = 5 * 1024 * 1024
MAX_CHUNK = 64 * 1024 * 1024
PRIVACY_OPTIONS = ["PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "SELF_ONLY"]
_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+)")


def envelope(data: dict[str, Any], code: str = "ok", message: str = "", status: int = 200) -> JSONResponse:
    error = {"code": code, "message": message, "log_id": "20250101000000FAKELOG"}
    return JSONResponse({"data": data, "error": error}, status_code=status)


def failure(code: str, message: str, status: int) -> JSONResponse:
    return envelope({}, code, message, status)


@dataclass
class Publish:
    open_id: str
    title: str
    privacy_level: str
    source: str
    video_size: int = 0
    chunk_size: int = 0
    chunk_count: int = 0
    received: bytearray = field(default_factory=bytearray)
    chunks: int = 0
    fetches: int = 0
    video_id: str | None = None
    video_url: str = ""
    pull_failed: bool = False


@dataclass
class Video:
    id: str
    open_id: str
    description: str
    create_time: int
    counts: dict[str, int] = field(default_factory=dict)


class TikTokFakeState:
    def __init__(self, client_key: str, client_secret: str) -> None:
        self.client_key = client_key
        self.client_secret = client_secret
        self.failures = FailureQueue()
        self.reset()

    def reset(self) -> None:
        self._ids = itertools.count(7_300_000_000_000_000_000)
        self.open_id = "open-id-creator-1"
        self.followers = 0
        self.tokens: dict[str, str] = {}
        self.expired: set[str] = set()
        self.refresh_tokens: dict[str, str] = {}
        self.codes: dict[str, dict[str, str]] = {}
        self.publishes: dict[str, Publish] = {}
        self.videos: dict[str, Video] = {}
        self.privacy_options = list(PRIVACY_OPTIONS)
        self.verified_prefix = "https://media.example.com/"
        self.processing_fetches = 1
        self.fail_reason: str | None = None
        # Off by default: wire tests use unreachable example URLs; end-to-end tests turn it on.
        self.download_pulls = False
        self.failures.clear()

    def next_id(self) -> str:
        return str(next(self._ids))

    def issue_token(self, open_id: str) -> str:
        token = f"act.{self.next_id()}"
        self.tokens[token] = open_id
        return token

    def add_video(self, description: str, create_time: int, **counts: int) -> Video:
        video = Video(self.next_id(), self.open_id, description, create_time, dict(counts))
        self.videos[video.id] = video
        return video


def build_app(state: TikTokFakeState) -> FastAPI:
    app = FastAPI()

    def user_of(request: Request) -> str | JSONResponse:
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        if token in state.expired or token not in state.tokens:
            return failure(
                "access_token_invalid", "The access token is invalid or not found in the request.", 401
            )
        return state.tokens[token]

    def injected(operation: str) -> JSONResponse | None:
        kind = state.failures.take(operation)
        if kind == "rate_limit":
            return failure("rate_limit_exceeded", "The API rate limit was exceeded.", 429)
        if kind == "scope":
            return failure("scope_not_authorized", "The user did not authorize the scope.", 401)
        if kind == "validation":
            return failure("invalid_params", "Invalid request parameters.", 400)
        if kind == "spam":
            # TikTok reports this refusal inside an HTTP 200 body.
            return failure("spam_risk_too_many_posts", "The daily post cap for this creator is reached.", 200)
        if kind == "server_error":
            return failure("internal_error", "Something went wrong.", 500)
        return None

    @app.get("/v2/auth/authorize/")
    async def authorize(request: Request) -> Response:
        q = request.query_params
        valid = (
            q.get("client_key") == state.client_key
            and q.get("response_type") == "code"
            and "video.publish" in q.get("scope", "").split(",")
            and q.get("code_challenge_method") == "S256"
            and re.fullmatch(r"[0-9a-f]{64}", q.get("code_challenge", ""))
        )
        if not valid:
            return JSONResponse(
                {"error": "invalid_request", "error_description": f"bad authorize request {dict(q)}"}, 400
            )
        code = f"tt-code-{state.next_id()}"
        state.codes[code] = {"challenge": q["code_challenge"], "redirect_uri": q["redirect_uri"]}
        return RedirectResponse(
            f"{q['redirect_uri']}?{urlencode({'code': code, 'state': q['state'], 'scopes': q['scope']})}", 302
        )

    @app.post("/v2/oauth/token/")
    async def token(request: Request) -> Response:
        form = await request.form()
        if form.get("client_key") != state.client_key or form.get("client_secret") != state.client_secret:
            return JSONResponse(
                {
                    "error": "invalid_client",
                    "error_description": "Client key or secret is incorrect.",
                    "log_id": "x",
                },
                401,
            )
        if form.get("grant_type") == "authorization_code":
            issued = state.codes.pop(str(form.get("code")), None)
            verifier = str(form.get("code_verifier", ""))
            if issued is None or issued["redirect_uri"] != form.get("redirect_uri"):
                return JSONResponse(
                    {
                        "error": "invalid_grant",
                        "error_description": "Authorization code is expired.",
                        "log_id": "x",
                    },
                    400,
                )
            if hashlib.sha256(verifier.encode()).hexdigest() != issued["challenge"]:
                return JSONResponse(
                    {
                        "error": "invalid_request",
                        "error_description": "Code verifier or code challenge is invalid.",
                        "log_id": "x",
                    },
                    400,
                )
            open_id = state.open_id
        elif form.get("grant_type") == "refresh_token":
            found = state.refresh_tokens.pop(str(form.get("refresh_token")), None)
            if found is None:
                return JSONResponse(
                    {
                        "error": "invalid_grant",
                        "error_description": "Refresh token is invalid or expired.",
                        "log_id": "x",
                    },
                    400,
                )
            open_id = found
        else:
            return JSONResponse(
                {"error": "unsupported_grant_type", "error_description": "", "log_id": "x"}, 400
            )
        refresh = f"rft.{state.next_id()}"
        state.refresh_tokens[refresh] = open_id
        return JSONResponse(
            {
                "access_token": state.issue_token(open_id),
                "expires_in": 86400,
                "open_id": open_id,
                "refresh_expires_in": 31536000,
                "refresh_token": refresh,
                "scope": "user.info.basic,video.publish,video.upload,video.list",
                "token_type": "Bearer",
            }
        )

    @app.post("/v2/post/publish/creator_info/query/")
    async def creator_info(request: Request) -> Response:
        user = user_of(request)
        if isinstance(user, JSONResponse):
            return user
        data = {
            "creator_username": "persona",
            "creator_nickname": "Persona",
            "privacy_level_options": state.privacy_options,
        }
        return envelope(
            {
                **data,
                "comment_disabled": False,
                "duet_disabled": False,
                "stitch_disabled": True,
                "max_video_post_duration_sec": 600,
            }
        )

    def check_source(source: dict[str, Any]) -> str | None:
        if source.get("source") == "PULL_FROM_URL":
            return (
                None
                if str(source.get("video_url", "")).startswith(state.verified_prefix)
                else "url_ownership_unverified"
            )
        if source.get("source") != "FILE_UPLOAD":
            return "invalid_params"
        size, chunk, count = (
            source.get("video_size", 0),
            source.get("chunk_size", 0),
            source.get("total_chunk_count", 0),
        )
        if size < MIN_CHUNK:
            return None if chunk == size and count == 1 else "invalid_params"
        if not MIN_CHUNK <= chunk <= MAX_CHUNK or count != size // chunk or not 1 <= count <= 1000:
            return "invalid_params"
        return None

    @app.post("/v2/post/publish/video/init/")
    async def init(request: Request) -> Response:
        user = user_of(request)
        if isinstance(user, JSONResponse):
            return user
        if failed := injected("init"):
            return failed
        body = await request.json()
        info, source = body.get("post_info", {}), body.get("source_info", {})
        if info.get("privacy_level") not in state.privacy_options or len(info.get("title", "")) > 2200:
            return failure("invalid_params", "post_info is invalid", 400)
        if problem := check_source(source):
            return failure(
                problem,
                f"source_info rejected: {problem}",
                403 if problem == "url_ownership_unverified" else 400,
            )
        publish_id = f"v_pub_file~v2-1.{state.next_id()}"
        publish = Publish(user, info.get("title", ""), info["privacy_level"], source["source"])
        data: dict[str, Any] = {"publish_id": publish_id}
        if source["source"] == "PULL_FROM_URL":
            publish.video_url = str(source["video_url"])
        if source["source"] == "FILE_UPLOAD":
            publish.video_size, publish.chunk_size, publish.chunk_count = (
                source["video_size"],
                source["chunk_size"],
                source["total_chunk_count"],
            )
            data["upload_url"] = f"{str(request.base_url).rstrip('/')}/upload/?upload_id={publish_id}"
        state.publishes[publish_id] = publish
        return envelope(data)

    @app.put("/upload/")
    async def upload(request: Request) -> Response:
        publish = state.publishes.get(request.query_params.get("upload_id", ""))
        match = _RANGE.fullmatch(request.headers.get("content-range", ""))
        chunk = await request.body()
        if (
            publish is None
            or match is None
            or not request.headers.get("content-type", "").startswith("video/")
        ):
            return Response("bad upload request", status_code=400)
        first, last, total = (int(g) for g in match.groups())
        final = publish.chunks == publish.chunk_count - 1
        expected_len = total - first if final else publish.chunk_size
        if (
            total != publish.video_size
            or first != len(publish.received)
            or last - first + 1 != len(chunk)
            or len(chunk) != expected_len
        ):
            return Response("chunk out of order or of the wrong size", status_code=416)
        publish.received.extend(chunk)
        publish.chunks += 1
        return Response(status_code=201 if final else 206)

    async def pull(publish: Publish) -> None:
        """Download the video the way TikTok's servers do: a plain GET that must give an MP4."""
        try:
            async with httpx.AsyncClient(timeout=10) as client:
                response = await client.get(publish.video_url)
        except httpx.HTTPError:
            publish.pull_failed = True
            return
        is_mp4 = response.headers.get("content-type", "").startswith("video/mp4") and response.content[4:8] == b"ftyp"
        if response.status_code != 200 or not is_mp4:
            publish.pull_failed = True
            return
        publish.received.extend(response.content)
        publish.video_size = len(response.content)

    @app.post("/v2/post/publish/status/fetch/")
    async def status(request: Request) -> Response:
        user = user_of(request)
        if isinstance(user, JSONResponse):
            return user
        if failed := injected("status"):
            return failed
        publish = state.publishes.get((await request.json()).get("publish_id", ""))
        if publish is None or publish.open_id != user:
            return failure("invalid_params", "publish_id not found", 400)
        if publish.source == "PULL_FROM_URL" and state.download_pulls and not publish.received:
            await pull(publish)
        if publish.pull_failed:
            return envelope({"status": "FAILED", "fail_reason": "video_pull_failed"})
        if publish.source == "FILE_UPLOAD" and len(publish.received) < publish.video_size:
            return envelope({"status": "PROCESSING_UPLOAD", "uploaded_bytes": len(publish.received)})
        publish.fetches += 1
        if publish.fetches < state.processing_fetches:
            return envelope(
                {
                    "status": "PROCESSING_DOWNLOAD"
                    if publish.source == "PULL_FROM_URL"
                    else "PROCESSING_UPLOAD"
                }
            )
        if state.fail_reason:
            return envelope({"status": "FAILED", "fail_reason": state.fail_reason})
        if publish.video_id is None:
            publish.video_id = state.add_video(publish.title, int(time.time())).id
        return envelope(
            {"status": "PUBLISH_COMPLETE", "publicaly_available_post_id": [int(publish.video_id)]}
        )

    def video_json(video: Video, fields: list[str]) -> dict[str, Any]:
        full = {
            "id": video.id,
            "create_time": video.create_time,
            "cover_image_url": f"https://p16.tiktokcdn.com/{video.id}.jpeg",
            "share_url": f"https://www.tiktok.com/@persona/video/{video.id}",
            "embed_link": f"https://www.tiktok.com/player/v1/{video.id}",
            "duration": 15,
            "video_description": video.description[:150],
            "title": video.description[:150],
            **{
                key: video.counts.get(key, 0)
                for key in ("like_count", "comment_count", "share_count", "view_count")
            },
        }
        return {key: value for key, value in full.items() if key in fields}

    @app.post("/v2/video/list/")
    async def video_list(request: Request) -> Response:
        user = user_of(request)
        if isinstance(user, JSONResponse):
            return user
        if failed := injected("list"):
            return failed
        fields = request.query_params.get("fields", "").split(",")
        body = await request.json()
        size, cursor = body.get("max_count", 10), body.get("cursor")
        if not 1 <= size <= 20 or "id" not in fields:
            return failure("invalid_params", "max_count must be 1-20 and fields must include id", 400)
        mine = sorted(
            (v for v in state.videos.values() if v.open_id == user),
            key=lambda v: (v.create_time, v.id),
            reverse=True,
        )
        if cursor is not None:
            mine = [v for v in mine if v.create_time * 1000 < cursor]
        page = mine[:size]
        next_cursor = page[-1].create_time * 1000 if page else 0
        return envelope(
            {
                "videos": [video_json(v, fields) for v in page],
                "cursor": next_cursor,
                "has_more": len(mine) > size,
            }
        )

    @app.get("/v2/user/info/")
    async def user_info(request: Request) -> Response:
        user = user_of(request)
        if isinstance(user, JSONResponse):
            return user
        fields = request.query_params.get("fields", "").split(",")
        info: dict[str, Any] = {"open_id": user, "follower_count": state.followers}
        return envelope({"user": {key: value for key, value in info.items() if key in fields}})

    @app.post("/v2/video/query/")
    async def video_query(request: Request) -> Response:
        user = user_of(request)
        if isinstance(user, JSONResponse):
            return user
        if failed := injected("query"):
            return failed
        fields = request.query_params.get("fields", "").split(",")
        ids = (await request.json()).get("filters", {}).get("video_ids", [])
        if not ids or len(ids) > 20:
            return failure("invalid_params", "video_ids must hold 1-20 ids", 400)
        found = [
            video_json(state.videos[i], fields)
            for i in ids
            if i in state.videos and state.videos[i].open_id == user
        ]
        return envelope({"videos": found, "cursor": 0, "has_more": False})

    return app
