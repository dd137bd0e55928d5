"""Reaching the machine's PostgreSQL and Redis, and deciding what to do when they are missing.

``make test`` on a laptop without them runs everything else and names what it left out; CI sets
``AUTOPERSONAS_REQUIRE_SERVICES=1`` so a missing server fails the run instead."""

from __future__ import annotations

import os
import socket

POSTGRES_HOST = os.environ.get("AUTOPERSONAS_TEST_POSTGRES_HOST", "127.0.0.1")
POSTGRES_PORT = int(os.environ.get("AUTOPERSONAS_TEST_POSTGRES_PORT", "5432"))
POSTGRES_USER = os.environ.get("AUTOPERSONAS_TEST_POSTGRES_USER", "postgres")
REDIS_URL = os.environ.get("AUTOPERSONAS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def services_required() -> bool:
    return os.environ.get("AUTOPERSONAS_REQUIRE_SERVICES") == "1"


def reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1.0):
            return True
    except OSError:
        return False


def redis_host_port() -> tuple[str, int]:
    rest = REDIS_URL.split("://", 1)[1].split("/", 1)[0]
    host, _, port = rest.partition(":")
    return host, int(port or 6379)


def unavailable_services() -> dict[str, str]:
    """Marker name to the reason its server cannot be used here, for each unreachable server."""
    missing: dict[str, str] = {}
    if not reachable(POSTGRES_HOST, POSTGRES_PORT):
        missing["postgres"] = f"PostgreSQL unreachable at {POSTGRES_HOST}:{POSTGRES_PORT}"
    host, port = redis_host_port()
    if not reachable(host, port):
        missing["redis"] = f"Redis unreachable at {host}:{port}"
    return missing
