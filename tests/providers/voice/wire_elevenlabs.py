"""A local server speaking the ElevenLabs instant-voice-cloning wire format: ``POST /v1/voices/add``
(multipart ``name`` + ``files``, key in ``xi-api-key``) and ``DELETE /v1/voices/{voice_id}``, with the
vendor's error bodies (``{"detail": {"status", "message"}}``). ``queue`` puts canned replies first."""

from __future__ import annotations

from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

from tests.providers.wire_servers import Recorded, Reply, WireServer

_AUDIO_MAGIC = (b"RIFF", b"ID3", b"\xff\xfb", b"\xff\xf3", b"OggS", b"\x1aE\xdf\xa3")


def _error(status: int, code: str, message: str) -> Reply:
    return Reply.of_json({"detail": {"status": code, "message": message}}, status=status)


def multipart_parts(request: Recorded) -> list[EmailMessage]:
    head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    message = BytesParser(policy=policy.HTTP, _class=EmailMessage).parsebytes(head + request.body)
    return [part for part in message.iter_parts() if isinstance(part, EmailMessage)]


class ElevenLabsFake:
    def __init__(self, api_key: str = "xi-test") -> None:
        self.api_key = api_key
        self.queue: list[Reply] = []
        self.voices: dict[str, dict[str, object]] = {}
        self.server = WireServer(self)

    def __call__(self, request: Recorded) -> Reply:
        if request.headers.get("xi-api-key") != self.api_key:
            return _error(401, "invalid_api_key", "Invalid API key")
        if self.queue:
            return self.queue.pop(0)
        if request.method == "POST" and request.path == "/v1/voices/add":
            parts = multipart_parts(request)
            names = [p.get_content() for p in parts if p.get_param("name", header="content-disposition") == "name"]
            files = [p for p in parts if p.get_param("name", header="content-disposition") == "files"]
            if not names or not files:
                return _error(422, "missing_field", "name and at least one file are required")
            payloads = [bytes(f.get_payload(decode=True) or b"") for f in files]
            if not all(data.startswith(_AUDIO_MAGIC) for data in payloads):
                return _error(400, "invalid_audio", "One of the files is not a supported audio file")
            voice_id = f"vo_{len(self.voices) + 1}"
            self.voices[voice_id] = {
                "name": names[0], "files": [f.get_filename() for f in files], "sizes": [len(d) for d in payloads]
            }
            return Reply.of_json({"voice_id": voice_id, "requires_verification": False})
        if request.method == "DELETE" and request.path.startswith("/v1/voices/"):
            voice_id = request.path.removeprefix("/v1/voices/")
            if self.voices.pop(voice_id, None) is None:
                return _error(404, "voice_not_found", f"A voice with the voice_id {voice_id} was not found.")
            return Reply.of_json({"status": "ok"})
        return _error(404, "not_found", f"Unknown path {request.path}")
