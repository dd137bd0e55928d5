"""Which methods a path accepts, across every route that matches it, so a 405 answers ``Allow`` with all
of them. Starlette stops at the first route whose path matches and names only that route's methods."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from starlette.routing import Route, compile_path


@dataclass(frozen=True)
class RouteMethods:
    regex: re.Pattern[str]
    methods: frozenset[str]
    fixed: bool  # no path parameter: the path names one resource


MethodTable = tuple[RouteMethods, ...]


def build_method_table(app: FastAPI) -> MethodTable:
    """Every route's full path as a regex with its methods; built once, when the app is assembled."""
    table: list[RouteMethods] = []
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, Route) and context.path and route.methods:
            regex, _, params = compile_path(context.path)
            table.append(RouteMethods(regex, frozenset(route.methods), fixed=not params))
    return tuple(table)


def allowed_methods(table: MethodTable, path: str) -> list[str]:
    matching = [entry for entry in table if entry.regex.match(path)]
    # A fixed path (/content/generate) is its own resource, as the schema documents it, not an id of its
    # parameterised sibling (/content/{content_id}), whose methods it would otherwise advertise.
    fixed = [entry for entry in matching if entry.fixed]
    return sorted(_union(entry.methods for entry in fixed or matching))


def _union(groups: Iterable[frozenset[str]]) -> set[str]:
    merged: set[str] = set()
    for group in groups:
        merged |= group
    return merged
