"""A fake Instagram API with Instagram Login: Graph error objects, tokens as the ``access_token`` query
parameter, media containers with ``status_code``, a rolling publishing limit and insights."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from tests.providers.social.fakes.server import FailureQueue

METRICS = {"views", "reach", "likes", "comments", "shares", "saved", "total_interactions"}


def graph_error(
    code: int,
    message: str,
    status: int = 400,
    subcode: int | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    error: dict[str, Any] = {
        "message": message,
        "type": "OAuthException",
        "code": code,
        "fbtrace_id": "AfakeTrace",
    }
    if subcode is not None:
        error["error_subcode"] = subcode
    return JSONResponse({"error": {**error, **extra}}, status_code=status, headers=headers)


def split_fields(fields: str) -> list[str]:
    """Graph's ``fields``, split at top-level commas: ``a,children{b,c}`` is ``a`` and ``children{b,c}``."""
    parts, depth, current = [], 0, ""
    for char in fields:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current] if current else parts


@dataclass
class Container:
    user_id: str
    caption: str
    media_type: str
    url: str
    status_code: str = "IN_PROGRESS"
    checks: int = 0


@dataclass
class Media:
    id: str
    user_id: str
    caption: str
    media_type: str
    media_url: str
    timestamp: datetime
    insights: dict[str, int] = field(default_factory=dict)
    thumbnail_url: str | None = None
    children: list[Media] = field(default_factory=list)


class InstagramFakeState:
    def __init__(self, app_id: str, app_secret: str) -> None:
        self.app_id = app_id
        self.app_secret = app_secret
        self.failures = FailureQueue()
        self.reset()

    def reset(self) -> None:
        self._ids = itertools.count(17_841_400_000_000_000)
        self.user_id = "17841405822304914"
        self.username = "persona.ig"
        self.followers = 0
        self.short_tokens: dict[str, str] = {}
        self.tokens: dict[str, str] = {}
        self.expired: set[str] = set()
        self.codes: dict[str, str] = {}
        self.containers: dict[str, Container] = {}
        self.media: dict[str, Media] = {}
        self.quota_total = 100
        self.quota_duration = 86400
        self.extra_usage = 0
        self.processing_checks = 1
        self.container_error: str | None = None
        self.failures.clear()

    def next_id(self) -> str:
        return str(next(self._ids))

    def issue_token(self) -> str:
        token = f"IGAA{self.next_id()}"
        self.tokens[token] = self.user_id
        return token

    def add_media(
        self,
        caption: str,
        timestamp: datetime,
        *,
        media_type: str = "IMAGE",
        children: tuple[str, ...] = (),
        **insights: int,
    ) -> Media:
        """A published media; a CAROUSEL_ALBUM gets one child per entry of ``children`` (IMAGE or VIDEO)."""
        media_id = self.next_id()
        media = Media(media_id, self.user_id, caption, media_type, self._url(media_id, media_type), timestamp, insights)
        if media_type == "VIDEO":
            media.thumbnail_url = f"https://cdn.example/{media_id}_thumb.jpg"
        for kind in children:
            child_id = self.next_id()
            child = Media(child_id, self.user_id, "", kind, self._url(child_id, kind), timestamp)
            child.thumbnail_url = f"https://cdn.example/{child_id}_thumb.jpg" if kind == "VIDEO" else None
            media.children.append(child)
        self.media[media.id] = media
        return media

    @staticmethod
    def _url(media_id: str, media_type: str) -> str:
        return f"https://cdn.example/{media_id}.{'mp4' if media_type == 'VIDEO' else 'jpg'}"

    def usage(self) -> int:
        window = datetime.now(UTC) - timedelta(seconds=self.quota_duration)
        return self.extra_usage + sum(1 for m in self.media.values() if m.timestamp >= window)


def build_app(state: InstagramFakeState) -> FastAPI:
    app = FastAPI()

    def user_of(request: Request) -> str | JSONResponse:
        token = request.query_params.get("access_token", "")
        if token in state.expired:
            return graph_error(190, "Error validating access token: Session has expired.", subcode=463)
        if token not in state.tokens:
            return graph_error(190, "Invalid OAuth access token - Cannot parse access token")
        return state.tokens[token]

    def injected(operation: str) -> JSONResponse | None:
        kind = state.failures.take(operation)
        if kind in ("rate_limit", "rate_limit_429"):
            usage = {
                state.user_id: [
                    {"type": "instagram", "call_count": 100, "estimated_time_to_regain_access": 7}
                ]
            }
            return graph_error(
                4,
                "Application request limit reached",
                429 if kind == "rate_limit_429" else 400,
                headers={"x-business-use-case-usage": json.dumps(usage)},
            )
        if kind == "validation":
            return graph_error(100, "The parameter image_url is required.", subcode=2207052)
        if kind == "server_error":
            return graph_error(
                2,
                "An unexpected error has occurred. Please retry your request later.",
                500,
                is_transient=True,
            )
        return None

    @app.get("/oauth/authorize")
    async def authorize(request: Request) -> Response:
        q = request.query_params
        if (
            q.get("client_id") != state.app_id
            or q.get("response_type") != "code"
            or "instagram_business_basic" not in q.get("scope", "")
        ):
            return graph_error(100, "Invalid authorize request")
        code = f"AQ{state.next_id()}"
        state.codes[code] = q["redirect_uri"]
        return RedirectResponse(
            f"{q['redirect_uri']}?{urlencode({'code': code, 'state': q.get('state', '')})}#_", 302
        )

    @app.post("/oauth/access_token")
    async def short_token(request: Request) -> Response:
        form = await request.form()
        redirect = state.codes.pop(str(form.get("code")), None)
        if form.get("client_id") != state.app_id or form.get("client_secret") != state.app_secret:
            return JSONResponse(
                {"error_type": "OAuthException", "code": 400, "error_message": "Invalid client_secret"}, 400
            )
        if (
            form.get("grant_type") != "authorization_code"
            or redirect is None
            or redirect != form.get("redirect_uri")
        ):
            return JSONResponse(
                {"error_type": "OAuthException", "code": 400, "error_message": "Invalid authorization code"},
                400,
            )
        short = f"IGQ{state.next_id()}"
        state.short_tokens[short] = state.user_id
        grants = "instagram_business_basic,instagram_business_content_publish"
        return JSONResponse(
            {"data": [{"access_token": short, "user_id": state.user_id, "permissions": grants}]}
        )

    @app.get("/access_token")
    async def long_token(request: Request) -> Response:
        q = request.query_params
        if q.get("grant_type") != "ig_exchange_token" or q.get("client_secret") != state.app_secret:
            return graph_error(100, "Invalid exchange request")
        if state.short_tokens.pop(q.get("access_token", ""), None) is None:
            return graph_error(190, "Invalid OAuth access token")
        return JSONResponse(
            {"access_token": state.issue_token(), "token_type": "bearer", "expires_in": 5183944}
        )

    @app.get("/refresh_access_token")
    async def refresh(request: Request) -> Response:
        if request.query_params.get("grant_type") != "ig_refresh_token":
            return graph_error(100, "grant_type must be ig_refresh_token")
        user = user_of(request)
        if isinstance(user, JSONResponse):
            return user
        return JSONResponse(
            {"access_token": state.issue_token(), "token_type": "bearer", "expires_in": 5183944}
        )

    @app.api_route("/{version}/{path:path}", methods=["GET", "POST", "DELETE"])
    async def graph(version: str, path: str, request: Request) -> Response:
        user = user_of(request)
        if isinstance(user, JSONResponse):
            return user
        q = request.query_params
        parts = path.strip("/").split("/")
        if parts == ["me"]:
            body: dict[str, Any] = {"user_id": user, "username": state.username, "id": "app-scoped-1"}
            if "followers_count" in q.get("fields", ""):
                body["followers_count"] = state.followers
            return JSONResponse(body)
        if request.method == "DELETE":
            return graph_error(100, "Unsupported delete request.")
        if len(parts) == 2 and parts[0] == user:
            edge = parts[1]
            if edge == "media" and request.method == "POST":
                return create_container(user, q)
            if edge == "media_publish" and request.method == "POST":
                return publish(user, q.get("creation_id", ""))
            if edge == "content_publishing_limit":
                config = {"quota_total": state.quota_total, "quota_duration": state.quota_duration}
                return JSONResponse({"data": [{"quota_usage": state.usage(), "config": config}]})
            if edge == "media":
                return media_list(user, q)
        if len(parts) == 2 and parts[1] == "insights" and parts[0] in state.media:
            return insights(state.media[parts[0]], q.get("metric", ""))
        if len(parts) == 1 and parts[0] in state.containers:
            return container_status(state.containers[parts[0]], parts[0])
        if len(parts) == 1 and parts[0] in state.media:
            if failed := injected("lookup"):
                return failed
            return JSONResponse(media_json(state.media[parts[0]], q.get("fields", "id").split(",")))
        # What Graph answers for media deleted on Instagram: code 100, subcode 33.
        return graph_error(
            100,
            f"Unsupported {request.method} request. Object with ID '{parts[0]}' does not exist, cannot be "
            "loaded due to missing permissions, or does not support this operation",
            subcode=33,
        )

    def create_container(user: str, q: Any) -> Response:
        if failed := injected("container"):
            return failed
        media_type = q.get("media_type", "IMAGE")
        url = (
            q.get("video_url")
            if media_type in ("REELS", "VIDEO", "STORIES") and q.get("video_url")
            else q.get("image_url")
        )
        if not url or not str(url).startswith("http") or len(q.get("caption", "")) > 2200:
            return graph_error(100, "The media URL is missing or invalid.", subcode=2207052)
        container_id = state.next_id()
        state.containers[container_id] = Container(user, q.get("caption", ""), media_type, str(url))
        return JSONResponse({"id": container_id})

    def container_status(container: Container, container_id: str) -> Response:
        container.checks += 1
        if container.status_code == "IN_PROGRESS" and container.checks >= state.processing_checks:
            container.status_code = "ERROR" if state.container_error else "FINISHED"
        status = state.container_error if container.status_code == "ERROR" else container.status_code
        return JSONResponse({"status_code": container.status_code, "status": status, "id": container_id})

    def publish(user: str, creation_id: str) -> Response:
        if failed := injected("publish"):
            return failed
        container = state.containers.get(creation_id)
        if container is None or container.status_code != "FINISHED":
            return graph_error(9007, "Media ID is not available", subcode=2207027)
        if state.usage() >= state.quota_total:
            return graph_error(9, "Application request limit reached", 403, subcode=2207042)
        media = Media(
            state.next_id(), user, container.caption, container.media_type, container.url, datetime.now(UTC)
        )
        state.media[media.id] = media
        container.status_code = "PUBLISHED"
        return JSONResponse({"id": media.id})

    def media_json(media: Media, fields: list[str]) -> dict[str, Any]:
        full: dict[str, Any] = {
            "id": media.id,
            "caption": media.caption,
            "media_type": media.media_type,
            "media_url": media.media_url,
            "thumbnail_url": media.thumbnail_url,
            "permalink": f"https://www.instagram.com/p/{media.id[-8:]}/",
            "timestamp": media.timestamp.strftime("%Y-%m-%dT%H:%M:%S+0000"),
            "like_count": media.insights.get("likes", 0),
            "comments_count": media.insights.get("comments", 0),
        }
        out = {key: value for key, value in full.items() if (key in fields or key == "id") and value is not None}
        nested = [f for f in fields if f.startswith("children{")]
        if media.children and nested:
            child_fields = split_fields(nested[0].removeprefix("children{").removesuffix("}"))
            out["children"] = {"data": [media_json(child, child_fields) for child in media.children]}
        return out

    def media_list(user: str, q: Any) -> Response:
        if failed := injected("list"):
            return failed
        fields = split_fields(q.get("fields", "id"))
        since = datetime.fromtimestamp(int(q["since"]), UTC) if q.get("since") else None
        mine = sorted(
            (m for m in state.media.values() if m.user_id == user and (since is None or m.timestamp >= since)),
            key=lambda m: (m.timestamp, m.id),
            reverse=True,
        )
        start, size = int(q.get("after", "0")), int(q.get("limit", "25"))
        page = mine[start : start + size]
        data = [media_json(m, fields) for m in page]
        paging: dict[str, Any] = {"cursors": {"before": str(start), "after": str(start + len(page))}}
        if start + size < len(mine):
            paging["next"] = f"https://graph.instagram.com/v24.0/{user}/media?after={start + size}"
        return JSONResponse({"data": data, "paging": paging})

    def insights(media: Media, metric: str) -> Response:
        names = metric.split(",")
        if not metric or not set(names) <= METRICS:
            return graph_error(
                100, f"(#100) metric[0] must be one of the following values: {', '.join(sorted(METRICS))}"
            )
        data = [
            {
                "name": n,
                "period": "lifetime",
                "values": [{"value": media.insights.get(n, 0)}],
                "id": f"{media.id}/insights/{n}/lifetime",
            }
            for n in names
        ]
        return JSONResponse({"data": data})

    return app
