"""The CLI's client of our own HTTP API: one ``httpx.Client`` with the key from ``AUTOPERSONAS_API_KEY``,
and one mapping of failures to exit codes, so every client command ends the same way."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any

import httpx

from core.settings import Settings

API_PREFIX = "/api/v1"


class ExitCode(IntEnum):
    """What the process says to a script: 0 the work succeeded, 1 it finished but not well (failed,
    partially failed, cancelled), 2 bad command line, 3 the API refused the request, 4 no API reached."""

    OK = 0
    WORK_FAILED = 1
    USAGE = 2
    REFUSED = 3
    UNREACHABLE = 4


@dataclass
class ApiError(Exception):
    exit_code: ExitCode
    message: str

    def __str__(self) -> str:
        return self.message


class ApiClient:
    def __init__(self, settings: Settings, transport: httpx.BaseTransport | None = None) -> None:
        if settings.api_key is None:
            raise ApiError(ExitCode.USAGE, "set AUTOPERSONAS_API_KEY to an API key (autopersonas keys create)")
        self._http = httpx.Client(
            base_url=settings.api_url.rstrip("/") + API_PREFIX,
            headers={"Authorization": f"Bearer {settings.api_key.get_secret_value()}"},
            timeout=30,
            transport=transport,
        )

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self._http.close()

    def get(self, path: str, **params: Any) -> Any:
        return self._call("GET", path, params={k: v for k, v in params.items() if v is not None})

    def post(self, path: str, body: dict[str, Any] | None = None) -> Any:
        return self._call("POST", path, json=body)

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.TransportError as exc:
            raise ApiError(ExitCode.UNREACHABLE, f"cannot reach the API at {self._http.base_url}: {exc}") from exc
        if response.status_code >= 400:
            raise ApiError(ExitCode.REFUSED, _describe_error(response))
        return response.json() if response.content else None


def _describe_error(response: httpx.Response) -> str:
    try:
        error = response.json()["error"]
    except (ValueError, KeyError, TypeError):
        return f"HTTP {response.status_code}: {response.text[:200]}"
    details = error.get("details")
    fields = ""
    if isinstance(details, list):
        fields = "; ".join(f"{d.get('field')}: {d.get('message')}" for d in details if isinstance(d, dict))
    suffix = f" ({fields})" if fields else ""
    return f"HTTP {response.status_code} {error.get('code')}: {error.get('message')}{suffix}"
