"""A fake X API v2 that speaks the wire format and checks what it receives: bearer tokens, Basic client
auth and PKCE at the token endpoint, chunk order and sizes of media uploads, media state at post time."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import itertools
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from tests.providers.social.fakes.server import FailureQueue

SCOPES_NEEDED = {"tweet.read", "tweet.write", "users.read", "media.write", "offline.access"}
MEDIA_CATEGORIES = {"tweet_image", "tweet_video", "tweet_gif"}
# X takes APPEND segments of at most 5 MB.
MAX_SEGMENT = 5 * 1024 * 1024


def category_fits(media_type: object, category: object) -> bool:
    """A video must be sent as tweet_video, a GIF as tweet_gif, any other image as tweet_image."""
    if not isinstance(media_type, str):
        return False
    if media_type.startswith("video/"):
        return category == "tweet_video"
    if media_type == "image/gif":
        return category == "tweet_gif"
    return media_type.startswith("image/") and category == "tweet_image"


def problem(status: int, title: str, detail: str, **headers: str) -> JSONResponse:
    body = {"title": title, "detail": detail, "type": "about:blank", "status": status}
    return JSONResponse(body, status_code=status, headers=headers)


@dataclass
class Upload:
    total_bytes: int
    media_type: str
    category: str
    segments: list[bytes] = field(default_factory=list)
    finalized: bool = False
    status_checks: int = 0


@dataclass
class Tweet:
    id: str
    author_id: str
    text: str
    media_ids: list[str]
    created_at: datetime
    metrics: dict[str, int] = field(default_factory=dict)


class XFakeState:
    def __init__(self, client_id: str, client_secret: str) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.failures = FailureQueue()
        self.files: dict[str, bytes] = {}
        self.reset()

    def reset(self) -> None:
        self._ids = itertools.count(1_900_000_000_000_000_000)
        self.users: dict[str, str] = {"2244994945": "autopersonas_dev"}
        self.tokens: dict[str, str] = {}
        self.expired: set[str] = set()
        self.refresh_tokens: dict[str, str] = {}
        self.codes: dict[str, dict[str, str]] = {}
        self.uploads: dict[str, Upload] = {}
        self.tweets: dict[str, Tweet] = {}
        # Media objects as the timeline's ``includes.media`` serves them, by media id (history seeded by tests).
        self.media_objects: dict[str, dict[str, Any]] = {}
        self.processing_checks = 1
        self.followers = 0
        self.check_after_secs = 0
        self.fail_processing = False
        self.rate_limit_reset_in = 900
        # Latency of the token endpoint's refresh grant, and how often it was called (refresh races).
        self.refresh_delay_seconds = 0.0
        self.refresh_calls = 0
        self.failures.clear()

    def next_id(self) -> str:
        return str(next(self._ids))

    def issue_token(self, user_id: str) -> str:
        token = f"x-at-{self.next_id()}"
        self.tokens[token] = user_id
        return token

    def add_history(self, text: str, created_at: datetime, media: list[dict[str, Any]] | None = None) -> Tweet:
        """A past tweet of the first user; ``media`` are media objects (``type``, ``url``, ``variants`` ...)."""
        media_ids = []
        for item in media or []:
            media_id = self.next_id()
            self.media_objects[media_id] = {"media_key": f"3_{media_id}", **item}
            media_ids.append(media_id)
        tweet = Tweet(self.next_id(), next(iter(self.users)), text, media_ids, created_at)
        self.tweets[tweet.id] = tweet
        return tweet

    @property
    def posts(self) -> list[Tweet]:
        return list(self.tweets.values())


def build_app(state: XFakeState) -> FastAPI:
    app = FastAPI()

    def user_of(request: Request) -> str | JSONResponse:
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        if token in state.expired or token not in state.tokens:
            return problem(401, "Unauthorized", "Unauthorized")
        return state.tokens[token]

    def injected(operation: str) -> JSONResponse | None:
        kind = state.failures.take(operation)
        if kind == "rate_limit":
            reset = str(int(time.time()) + state.rate_limit_reset_in)
            headers = {
                "x-rate-limit-reset": reset,
                "x-rate-limit-remaining": "0",
                "x-rate-limit-limit": "100",
            }
            return problem(429, "Too Many Requests", "Too Many Requests", **headers)
        if kind == "server_error":
            return problem(503, "Service Unavailable", "Service Unavailable")
        if kind == "validation":
            return problem(400, "Invalid Request", "One or more parameters to your request was invalid.")
        return None

    @app.get("/i/oauth2/authorize")
    async def authorize(request: Request) -> Response:
        q = request.query_params
        scopes = set(q.get("scope", "").split(" "))
        valid = (
            q.get("response_type") == "code"
            and q.get("client_id") == state.client_id
            and q.get("code_challenge_method") == "S256"
            and q.get("code_challenge")
            and q.get("state")
            and SCOPES_NEEDED <= scopes
        )
        if not valid:
            return problem(400, "Invalid Request", f"bad authorize request: {dict(q)}")
        code = f"code-{state.next_id()}"
        state.codes[code] = {"challenge": q["code_challenge"], "redirect_uri": q["redirect_uri"]}
        location = f"{q['redirect_uri']}?{urlencode({'state': q['state'], 'code': code})}"
        return RedirectResponse(location, status_code=302)

    @app.post("/2/oauth2/token")
    async def token(request: Request) -> Response:
        expected = base64.b64encode(f"{state.client_id}:{state.client_secret}".encode()).decode()
        if request.headers.get("authorization") != f"Basic {expected}":
            return JSONResponse(
                {"error": "unauthorized_client", "error_description": "Missing valid authorization header"},
                401,
            )
        form = await request.form()
        if form.get("client_id") != state.client_id:
            return JSONResponse({"error": "invalid_request", "error_description": "client_id mismatch"}, 400)
        grant = form.get("grant_type")
        if grant == "authorization_code":
            issued = state.codes.pop(str(form.get("code")), None)
            verifier = str(form.get("code_verifier", ""))
            digest = hashlib.sha256(verifier.encode()).digest()
            challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
            if (
                issued is None
                or issued["challenge"] != challenge
                or issued["redirect_uri"] != form.get("redirect_uri")
            ):
                return JSONResponse(
                    {
                        "error": "invalid_request",
                        "error_description": "Value passed for the authorization code was invalid.",
                    },
                    400,
                )
            user_id = next(iter(state.users))
        elif grant == "refresh_token":
            state.refresh_calls += 1
            await asyncio.sleep(state.refresh_delay_seconds)
            user_id_or_none = state.refresh_tokens.pop(str(form.get("refresh_token")), None)
            if user_id_or_none is None:
                return JSONResponse(
                    {
                        "error": "invalid_request",
                        "error_description": "Value passed for the token was invalid.",
                    },
                    400,
                )
            user_id = user_id_or_none
        else:
            return JSONResponse({"error": "unsupported_grant_type"}, 400)
        access = state.issue_token(user_id)
        refresh = f"x-rt-{state.next_id()}"
        state.refresh_tokens[refresh] = user_id
        body = {
            "token_type": "bearer",
            "expires_in": 7200,
            "access_token": access,
            "scope": " ".join(sorted(SCOPES_NEEDED)),
            "refresh_token": refresh,
        }
        return JSONResponse(body)

    @app.get("/2/users/me")
    async def me(request: Request) -> Response:
        user = user_of(request)
        if isinstance(user, JSONResponse):
            return user
        data: dict[str, Any] = {"id": user, "name": "Dev", "username": state.users[user]}
        if "public_metrics" in request.query_params.get("user.fields", ""):
            data["public_metrics"] = {
                "followers_count": state.followers,
                "following_count": 12,
                "tweet_count": len(state.tweets),
                "listed_count": 0,
            }
        return JSONResponse({"data": data})

    @app.get("/files/{name}")
    async def file(name: str) -> Response:
        return Response(state.files[name], media_type="application/octet-stream")

    @app.post("/2/media/upload/initialize")
    async def initialize(request: Request) -> Response:
        user = user_of(request)
        if isinstance(user, JSONResponse):
            return user
        if failure := injected("media"):
            return failure
        body = await request.json()
        if (
            not isinstance(body.get("total_bytes"), int)
            or body["total_bytes"] <= 0
            or body.get("media_category") not in MEDIA_CATEGORIES
            or not category_fits(body.get("media_type"), body.get("media_category"))
        ):
            return problem(400, "Invalid Request", f"bad initialize body: {body}")
        media_id = state.next_id()
        state.uploads[media_id] = Upload(body["total_bytes"], body["media_type"], body["media_category"])
        return JSONResponse(
            {"data": {"id": media_id, "media_key": f"7_{media_id}", "expires_after_secs": 86400}}
        )

    @app.post("/2/media/upload/{media_id}/append")
    async def append(media_id: str, request: Request) -> Response:
        user = user_of(request)
        if isinstance(user, JSONResponse):
            return user
        upload = state.uploads.get(media_id)
        form = await request.form()
        chunk = form.get("media")
        if upload is None or upload.finalized or chunk is None or isinstance(chunk, str):
            return problem(400, "Invalid Request", "append needs an open upload and a media file part")
        if int(str(form.get("segment_index"))) != len(upload.segments):
            return problem(400, "Invalid Request", "segment_index out of order")
        segment = await chunk.read()
        if len(segment) > MAX_SEGMENT:
            return problem(400, "Invalid Request", "segment larger than 5 MB")
        upload.segments.append(segment)
        return JSONResponse({"data": {"expires_at": int(time.time()) + 86400}})

    @app.post("/2/media/upload/{media_id}/finalize")
    async def finalize(media_id: str, request: Request) -> Response:
        user = user_of(request)
        if isinstance(user, JSONResponse):
            return user
        upload = state.uploads.get(media_id)
        if upload is None or sum(len(s) for s in upload.segments) != upload.total_bytes:
            return problem(400, "Invalid Request", "uploaded bytes do not match total_bytes")
        upload.finalized = True
        data: dict[str, Any] = {"id": media_id, "media_key": f"7_{media_id}", "size": upload.total_bytes}
        if upload.category != "tweet_image":
            data["processing_info"] = {"state": "pending", "check_after_secs": state.check_after_secs}
        return JSONResponse({"data": data})

    @app.get("/2/media/upload")
    async def status(request: Request) -> Response:
        user = user_of(request)
        if isinstance(user, JSONResponse):
            return user
        upload = state.uploads.get(request.query_params.get("media_id", ""))
        if request.query_params.get("command") != "STATUS" or upload is None or not upload.finalized:
            return problem(400, "Invalid Request", "STATUS needs a finalized media_id")
        upload.status_checks += 1
        info: dict[str, Any] = {"state": "in_progress", "check_after_secs": state.check_after_secs}
        if upload.status_checks >= state.processing_checks:
            info = {"state": "succeeded", "progress_percent": 100}
            if state.fail_processing:
                info = {
                    "state": "failed",
                    "error": {"code": 1, "name": "InvalidMedia", "message": "Unsupported video format"},
                }
        return JSONResponse({"data": {"media_id": request.query_params["media_id"], "processing_info": info}})

    def ready(media_id: str) -> bool:
        upload = state.uploads.get(media_id)
        if upload is None or not upload.finalized:
            return False
        return upload.category == "tweet_image" or (
            upload.status_checks >= state.processing_checks and not state.fail_processing
        )

    @app.post("/2/tweets")
    async def create(request: Request) -> Response:
        user = user_of(request)
        if isinstance(user, JSONResponse):
            return user
        if failure := injected("create"):
            return failure
        body = await request.json()
        text = body.get("text")
        media_ids = body.get("media", {}).get("media_ids", [])
        if not isinstance(text, str) or not text or len(text) > 280:
            return problem(400, "Invalid Request", "text must be 1-280 characters")
        if not all(ready(media_id) for media_id in media_ids):
            return problem(400, "Invalid Request", "Your media IDs are invalid.")
        if any(t.text == text and t.author_id == user for t in state.tweets.values()):
            return problem(403, "Forbidden", "You are not allowed to create a Tweet with duplicate content.")
        tweet = Tweet(state.next_id(), user, text, media_ids, datetime.now(UTC))
        state.tweets[tweet.id] = tweet
        return JSONResponse(
            {"data": {"id": tweet.id, "text": text, "edit_history_tweet_ids": [tweet.id]}}, 201
        )

    def public_metrics(tweet: Tweet) -> dict[str, int]:
        keys = (
            "retweet_count",
            "reply_count",
            "like_count",
            "quote_count",
            "bookmark_count",
            "impression_count",
        )
        return {key: tweet.metrics.get(key, 0) for key in keys}

    @app.get("/2/tweets/{tweet_id}")
    async def lookup(tweet_id: str, request: Request) -> Response:
        user = user_of(request)
        if isinstance(user, JSONResponse):
            return user
        tweet = state.tweets.get(tweet_id)
        if tweet is None:
            error = {
                "value": tweet_id,
                "detail": f"Could not find tweet with id: [{tweet_id}].",
                "title": "Not Found Error",
            }
            return JSONResponse({"errors": [error]})
        return JSONResponse(
            {"data": {"id": tweet.id, "text": tweet.text, "public_metrics": public_metrics(tweet)}}
        )

    @app.delete("/2/tweets/{tweet_id}")
    async def delete(tweet_id: str, request: Request) -> Response:
        user = user_of(request)
        if isinstance(user, JSONResponse):
            return user
        tweet = state.tweets.get(tweet_id)
        if tweet is None or tweet.author_id != user:
            return problem(403, "Forbidden", "You are not allowed to delete this Tweet.")
        del state.tweets[tweet_id]
        return JSONResponse({"data": {"deleted": True}})

    def media_object(media_id: str) -> dict[str, Any]:
        default = {"media_key": f"7_{media_id}", "type": "photo", "url": f"https://pbs.twimg.com/media/{media_id}.jpg"}
        return state.media_objects.get(media_id, default)

    def media_key(media_id: str) -> str:
        return str(media_object(media_id)["media_key"])

    @app.get("/2/users/{user_id}/tweets")
    async def timeline(user_id: str, request: Request) -> Response:
        user = user_of(request)
        if isinstance(user, JSONResponse):
            return user
        if failure := injected("list"):
            return failure
        q = request.query_params
        size = int(q.get("max_results", "10"))
        if not 5 <= size <= 100:
            return problem(400, "Invalid Request", "max_results must be between 5 and 100")
        start_time = q.get("start_time")
        since = datetime.fromisoformat(start_time.replace("Z", "+00:00")) if start_time else None
        mine = sorted(
            (
                t
                for t in state.tweets.values()
                if t.author_id == user_id and (since is None or t.created_at >= since)
            ),
            key=lambda t: t.id,
            reverse=True,
        )
        start = int(q.get("pagination_token", "0"))
        page = mine[start : start + size]
        data = [
            {
                "id": t.id,
                "text": t.text + "".join(f" https://t.co/m{m[-4:]}" for m in t.media_ids[:1]),
                "created_at": t.created_at.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                "public_metrics": public_metrics(t),
                **({"attachments": {"media_keys": [media_key(m) for m in t.media_ids]}} if t.media_ids else {}),
            }
            for t in page
        ]
        # Media come only when expanded, with the default fields plus those asked for, as X serves them.
        asked = set(q.get("media.fields", "").split(",")) | {"media_key", "type"}
        expanded = "attachments.media_keys" in q.get("expansions", "").split(",")
        media = [
            {key: value for key, value in media_object(m).items() if key in asked}
            for t in page
            for m in t.media_ids
            if expanded
        ]
        meta: dict[str, Any] = {"result_count": len(page)}
        if start + size < len(mine):
            meta["next_token"] = str(start + size)
        return JSONResponse(
            {"data": data, "includes": {"media": media}, "meta": meta} if page else {"meta": meta}
        )

    return app
