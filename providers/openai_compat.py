"""One client for OpenAI-compatible servers (OpenAI, vLLM, Ollama, LocalAI): JSON calls, structured chat
answers validated by pydantic, and downloads of result URLs. Failures map through ``providers.http``."""

from __future__ import annotations

import base64
import binascii
import copy
import logging
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from core.errors import ContentPolicyError, PermanentProviderError
from providers.http import send

logger = logging.getLogger(__name__)

ModelT = TypeVar("ModelT", bound=BaseModel)

# Keywords OpenAI's strict structured outputs reject; pydantic still enforces them on the answer.
_UNSUPPORTED_SCHEMA_KEYS = ("default", "minLength", "maxLength", "title")


def strict_json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON schema in the subset strict structured outputs accept: every object closed and
    every property required (optional fields then simply carry their value)."""
    schema = copy.deepcopy(model.model_json_schema())

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "object" and "properties" in node:
                node["additionalProperties"] = False
                node["required"] = list(node["properties"])
            for key in _UNSUPPORTED_SCHEMA_KEYS:
                # "title"/"default" are only dropped where they are keywords, not property names.
                if key in node and not isinstance(node[key], dict):
                    del node[key]
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for item in node:
                visit(item)

    visit(schema)
    return schema


def data_uri(data: bytes, content_type: str) -> str:
    """A ``data:<type>;base64,<payload>`` URI of ``data``, the inverse of ``decode_data_uri``."""
    return f"data:{content_type};base64,{base64.b64encode(data).decode('ascii')}"


def decode_data_uri(uri: str) -> bytes:
    """Bytes of a ``data:<type>;base64,<payload>`` URI."""
    header, _, payload = uri.partition(",")
    if not header.startswith("data:") or not header.endswith(";base64"):
        raise PermanentProviderError(f"unsupported data URI header {header[:40]!r}")
    return decode_base64(payload)


def decode_base64(payload: str) -> bytes:
    try:
        # Some servers wrap base64 at 76 columns; whitespace is not data.
        return base64.b64decode("".join(payload.split()), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise PermanentProviderError(f"answer carried invalid base64: {exc}") from exc


def json_object(response: httpx.Response, *, service: str) -> dict[str, Any]:
    """The response body as a JSON object; a 2xx that is not one means a misconfigured base URL."""
    try:
        body = response.json()
    except ValueError as exc:
        raise PermanentProviderError(f"{service} answered non-JSON: {response.text[:200]!r}") from exc
    if not isinstance(body, dict):
        raise PermanentProviderError(f"{service} answered a JSON {type(body).__name__}, not an object")
    return body


def _strip_code_fence(content: str) -> str:
    # Some local models wrap JSON in a markdown fence even when asked for a schema.
    text = content.strip()
    if text.startswith("```"):
        text = text.split("\n", 1)[1] if "\n" in text else ""
        text = text.rsplit("```", 1)[0]
    return text.strip()


class OpenAICompatClient:
    """Authenticated API calls go through one ``AsyncClient``; result URLs (CDNs, signed blob URLs) are
    fetched by a second one without the ``Authorization`` header, so the key never leaves the API host."""

    def __init__(self, *, base_url: str, api_key: str, timeout: float, service: str = "openai") -> None:
        self.service = service
        self._http = httpx.AsyncClient(
            base_url=base_url, headers={"Authorization": f"Bearer {api_key}"}, timeout=timeout
        )
        self._downloads = httpx.AsyncClient(timeout=timeout, follow_redirects=True)

    async def aclose(self) -> None:
        await self._http.aclose()
        await self._downloads.aclose()

    async def post_json(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = await send(self._http, "POST", path.lstrip("/"), service=self.service, json=body)
        return json_object(response, service=self.service)

    async def download(self, url: str) -> bytes:
        if url.startswith("data:"):
            return decode_data_uri(url)
        response = await send(self._downloads, "GET", url, service=f"{self.service} download")
        return response.content

    async def structured_chat(
        self,
        *,
        model: str,
        messages: list[dict[str, Any]],
        result_type: type[ModelT],
        seed: int | None = None,
    ) -> ModelT:
        """Ask for a JSON answer shaped like ``result_type`` and validate it.

        An invalid answer is retried once, here: sampling makes a second answer likely to be valid, while a
        second failure points at a server that ignores ``response_format`` or a model too weak for the schema,
        which no Temporal retry will fix, so it is a ``PermanentProviderError``."""
        body: dict[str, Any] = {
            "model": model,
            "messages": messages,
            "response_format": {
                "type": "json_schema",
                "json_schema": {
                    "name": result_type.__name__,
                    "strict": True,
                    "schema": strict_json_schema(result_type),
                },
            },
        }
        if seed is not None:
            body["seed"] = seed
        problem = ""
        for attempt in (1, 2):
            content = await self._chat_content(body)
            try:
                return result_type.model_validate_json(_strip_code_fence(content))
            except ValidationError as exc:
                problem = f"{exc.error_count()} error(s): {exc.errors(include_url=False)[:3]}"
            logger.warning(
                "provider.invalid_structured_answer service=%s model=%s schema=%s attempt=%d",
                self.service,
                model,
                result_type.__name__,
                attempt,
            )
        raise PermanentProviderError(
            f"{self.service} model {model} twice answered JSON not matching {result_type.__name__}: {problem}"
        )

    async def _chat_content(self, body: dict[str, Any]) -> str:
        answer = await self.post_json("chat/completions", body)
        try:
            choice = answer["choices"][0]
            message = choice["message"]
        except (KeyError, IndexError, TypeError) as exc:
            raise PermanentProviderError(f"{self.service} chat answer has no choices[0].message") from exc
        refusal = message.get("refusal")
        if refusal:
            raise ContentPolicyError(f"{self.service} refused: {refusal}")
        if choice.get("finish_reason") == "content_filter":
            raise ContentPolicyError(f"{self.service} withheld the answer: content filter")
        content = message.get("content")
        if not isinstance(content, str):
            # Counted as an invalid answer by the caller (validation of "" fails), not a crash.
            return ""
        return content
