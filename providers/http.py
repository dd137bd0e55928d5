"""The one place that turns HTTP outcomes into typed provider errors, shared by every HTTP adapter.

Retryable: timeouts, connection errors, 408, 409 (lock contention), 425, 429 (with ``Retry-After``) and 5xx.
Permanent: every other 4xx; 401/403 as auth errors; policy refusals as content-policy errors."""

from __future__ import annotations

import email.utils
import time
from typing import Any

import httpx

from core.errors import (
    ContentPolicyError,
    PermanentProviderError,
    ProviderAuthError,
    TransientProviderError,
)

_RETRYABLE_STATUSES = {408, 409, 425, 429}
_POLICY_MARKERS = ("content_policy", "content policy", "safety system", "moderation", "nsfw")


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header, given as seconds or as an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (ValueError, TypeError):
        return None
    return max(0.0, parsed.timestamp() - time.time())


def error_message(response: httpx.Response) -> str:
    """The most useful human text in an error body, whatever the vendor's JSON shape."""
    try:
        body: Any = response.json()
    except ValueError:
        return response.text[:500] or response.reason_phrase
    if isinstance(body, dict):
        for key in ("error", "detail", "message", "title", "errors"):
            value = body.get(key)
            if isinstance(value, dict):
                return str(value.get("message") or value.get("detail") or value)
            if isinstance(value, list) and value:
                first = value[0]
                return str(first.get("message", first) if isinstance(first, dict) else first)
            if value:
                return str(value)
    return str(body)[:500]


def raise_for_response(response: httpx.Response, *, service: str) -> None:
    """Raise the typed error for a failed response; return quietly for 2xx/3xx."""
    status = response.status_code
    if status < 400:
        return
    message = f"{service} answered {status}: {error_message(response)}"
    if status in _RETRYABLE_STATUSES or status >= 500:
        raise TransientProviderError(
            message, retry_after=parse_retry_after(response.headers.get("retry-after")), status=status
        )
    if status in (401, 403):
        raise ProviderAuthError(message, status=status)
    if any(marker in message.lower() for marker in _POLICY_MARKERS):
        raise ContentPolicyError(message, status=status)
    raise PermanentProviderError(message, status=status)


async def send(
    client: httpx.AsyncClient, method: str, url: str, *, service: str, **kwargs: Any
) -> httpx.Response:
    """Send a request and map transport failures and error statuses to typed provider errors."""
    try:
        response = await client.request(method, url, **kwargs)
    except httpx.TimeoutException as exc:
        raise TransientProviderError(f"{service} timed out: {exc!r}") from exc
    except httpx.TransportError as exc:
        raise TransientProviderError(f"{service} unreachable: {exc!r}") from exc
    except httpx.RequestError as exc:  # redirect loops, undecodable bodies: the same request fails again
        raise PermanentProviderError(f"{service} request failed: {exc!r}") from exc
    raise_for_response(response, service=service)
    return response
