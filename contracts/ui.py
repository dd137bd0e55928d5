"""What the Temporal UI shows about a workflow beside its search attributes: the memo key holding the API
path of the resource it drives, shared by the API's starter and the reconciler that restarts batches."""

from __future__ import annotations

API_PREFIX = "/api/v1"
MEMO_API_PATH = "apiPath"


def api_path(resource_path: str) -> str:
    """``/batches/bat_1`` -> ``/api/v1/batches/bat_1``."""
    return f"{API_PREFIX}{resource_path}"


def api_memo(resource_path: str) -> dict[str, str]:
    return {MEMO_API_PATH: api_path(resource_path)}
