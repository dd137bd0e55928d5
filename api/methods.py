"""Which methods a path accepts, across every route that matches it, so a 405 answers ``Allow`` with all
of them. Starlette stops at the first route whose path matches and names only that route's methods."""

from __future__ import annotations

import re
from collections.abc import Iterable

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from starlette.routing import Route, compile_path

MethodTable = tuple[tuple[re.Pattern[str], frozenset[str]], ...]


def build_method_table(app: FastAPI) -> MethodTable:
    """Every route's full path as a regex with its methods; built once, when the app is assembled."""
    table: list[tuple[re.Pattern[str], frozenset[str]]] = []
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, Route) and context.path and route.methods:
            regex, _, _ = compile_path(context.path)
            table.append((regex, frozenset(route.methods)))
    return tuple(table)


def allowed_methods(table: MethodTable, path: str) -> list[str]:
    return sorted(_union(methods for regex, methods in table if regex.match(path)))


def _union(groups: Iterable[frozenset[str]]) -> set[str]:
    merged: set[str] = set()
    for group in groups:
        merged |= group
    return merged
