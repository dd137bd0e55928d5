"""Local servers that speak the video APIs' wire formats: Replicate predictions whose output is an MP4, and
an OpenAI-style videos API (multipart create, status, content, delete). Jobs walk through ``statuses``, one
step per status poll, and stay on the last step, so a list ending in a running state never finishes."""

from __future__ import annotations

import email.parser
import email.policy
import functools
import re
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from providers.video.ffmpeg import ffmpeg_exe
from tests.providers.wire_servers import ReplicateFake, Reply, WireServer, openai_error

MP4_SIZE = (320, 568)


@functools.lru_cache(maxsize=1)
def sample_mp4() -> bytes:
    """A small real H.264 MP4 (2 s, 320x568, colour bars) for the fakes to serve."""
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "sample.mp4"
        source = f"testsrc2=size={MP4_SIZE[0]}x{MP4_SIZE[1]}:rate=30:duration=2"
        encode = ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-threads", "1", str(out)]
        subprocess.run([ffmpeg_exe(), "-loglevel", "error", "-f", "lavfi", "-i", source, *encode], check=True)
        return out.read_bytes()


class ReplicateVideoFake(ReplicateFake):
    """Replicate's predictions API with an MP4 as the output file."""

    def __call__(self, request: Any) -> Reply:
        if request.path.startswith("/files/"):
            return Reply(200, sample_mp4(), {"Content-Type": "video/mp4"})
        return super().__call__(request)


def multipart_fields(content_type: str, body: bytes) -> dict[str, tuple[bytes, str | None]]:
    """Each form field's bytes and, for files, its content type."""
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
    )
    fields: dict[str, tuple[bytes, str | None]] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        is_file = part.get_filename() is not None
        fields[str(name)] = (
            payload if isinstance(payload, bytes) else b"",
            part.get_content_type() if is_file else None,
        )
    return fields


class OpenAIVideosFake:
    """``/v1/videos`` behind a Bearer key."""

    def __init__(self, api_key: str = "sk-test") -> None:
        self.api_key = api_key
        self.queue: list[Reply] = []
        self.statuses = ["queued", "in_progress", "completed"]
        self.error: dict[str, str] | None = None
        self.videos: dict[str, dict[str, Any]] = {}
        self.deleted: list[str] = []
        self.server = WireServer(self)

    def _view(self, vid: str) -> dict[str, Any]:
        state = self.videos[vid]
        status = state["steps"][state["step"]]
        progress = {"queued": 0, "in_progress": 40, "completed": 100}.get(status, 0)
        return {
            "id": vid,
            "object": "video",
            "model": state["model"],
            "status": status,
            "progress": progress,
            "created_at": 1760000000,
            "size": state["size"],
            "seconds": state["seconds"],
            "error": self.error if status == "failed" else None,
        }

    def __call__(self, request: Any) -> Reply:
        if request.headers.get("authorization") != f"Bearer {self.api_key}":
            return openai_error(401, "Incorrect API key provided", "invalid_api_key")
        if self.queue:
            return self.queue.pop(0)
        if request.method == "POST" and request.path == "/v1/videos":
            fields = multipart_fields(request.headers["content-type"], request.body)
            vid = f"video_{len(self.videos) + 1}"
            self.videos[vid] = {
                "model": fields["model"][0].decode(),
                "size": fields["size"][0].decode(),
                "seconds": fields["seconds"][0].decode(),
                "fields": fields,
                "steps": list(self.statuses),
                "step": 0,
            }
            return Reply.of_json(self._view(vid))
        matched = re.fullmatch(r"/v1/videos/([^/]+)(/content)?", request.path)
        if not matched or matched[1] not in self.videos:
            return openai_error(404, "Video not found", "not_found")
        vid, state = matched[1], self.videos[matched[1]]
        if request.method == "DELETE":
            self.deleted.append(vid)
            del self.videos[vid]
            return Reply.of_json({"id": vid, "object": "video.deleted", "deleted": True})
        if matched[2]:
            if state["steps"][state["step"]] != "completed":
                return openai_error(400, "Video is not ready yet", "video_not_ready")
            return Reply(200, sample_mp4(), {"Content-Type": "video/mp4"})
        state["step"] = min(state["step"] + 1, len(state["steps"]) - 1)
        return Reply.of_json(self._view(vid))
