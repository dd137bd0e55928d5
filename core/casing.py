"""camelCase keys for JSON we store for the API to serve verbatim (job results)."""

from __future__ import annotations

from typing import Any

from pydantic.alias_generators import to_camel


def camelize(value: Any) -> Any:
    if isinstance(value, dict):
        return {to_camel(str(k)): camelize(v) for k, v in value.items()}
    if isinstance(value, list):
        return [camelize(v) for v in value]
    return value
