"""The ``autopersonas`` command: the stack (``dev``, ``temporal``, ``worker``, ``api``, ``db``, ``keys``)
and a client of the API (``generate --watch``, ``content``, ``batches``, ``jobs``)."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Sequence
from typing import Annotated

import typer

from cli import client_commands
from core.logging import configure_logging
from core.scopes import ALL_SCOPES, parse_scopes
from core.settings import get_settings
from core.time import parse_duration, utc_now

app = typer.Typer(
    name="autopersonas", help=__doc__, no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False
)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
keys_app = typer.Typer(help="API keys.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(keys_app, name="keys")
app.add_typer(client_commands.content_app, name="content")
app.add_typer(client_commands.batches_app, name="batches")
app.add_typer(client_commands.jobs_app, name="jobs")
app.command("generate")(client_commands.generate)

ApiPort = Annotated[int, typer.Option("--api-port")]
TemporalPort = Annotated[int, typer.Option("--temporal-port")]
UiPort = Annotated[int, typer.Option("--ui-port")]


@app.command()
def dev(api_port: ApiPort = 8000, temporal_port: TemporalPort = 7233, ui_port: UiPort = 8233) -> None:
    """Run Temporal, migrations, worker and API in the foreground (Ctrl-C stops all)."""
    from cli.stack import run_dev_stack

    raise typer.Exit(run_dev_stack(get_settings(), api_port=api_port, temporal_port=temporal_port, ui_port=ui_port))


@app.command()
def temporal(temporal_port: TemporalPort = 7233, ui_port: UiPort = 8233) -> None:
    """Run only the Temporal dev server (persisted in the data dir)."""
    from cli.stack import run_temporal_only

    raise typer.Exit(run_temporal_only(get_settings(), temporal_port, ui_port))


@app.command()
def worker(
    concurrency: Annotated[
        int | None, typer.Option(min=1, help="activities this worker runs at once (WORKER_MAX_CONCURRENT_ACTIVITIES)")
    ] = None,
    identity: Annotated[str | None, typer.Option(help="worker identity shown in Temporal (WORKER_IDENTITY)")] = None,
) -> None:
    """Run the Temporal worker."""
    import worker as worker_module

    overrides = {"worker_max_concurrent_activities": concurrency, "worker_identity": identity}
    worker_module.main({k: v for k, v in overrides.items() if v is not None})


@app.command()
def api(host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the HTTP API."""
    import uvicorn

    settings = get_settings()
    configure_logging(settings.log_level, settings.log_format)
    # In JSON, uvicorn's own loggers (access lines included) go through our root handler instead of theirs.
    log_config: dict[str, object] = {"log_config": None} if settings.log_format == "json" else {}
    # uvicorn handles SIGTERM and SIGINT itself: it stops accepting, lets in-flight requests finish (for at
    # most the grace period) and runs the app's shutdown.
    uvicorn.run(
        "api.app:main_app",
        factory=True,
        host=host,
        port=port,
        log_level=settings.log_level.lower(),
        timeout_graceful_shutdown=int(settings.shutdown_grace_seconds) or None,
        **log_config,  # type: ignore[arg-type]
    )


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument()] = "head") -> None:
    """Apply migrations."""
    from store.migrate import upgrade

    settings = get_settings()
    upgrade(settings.resolved_database_url, revision)
    print(f"database at revision {revision}: {settings.resolved_database_url}")


@keys_app.command("create")
def keys_create(
    account: Annotated[str, typer.Option(help="account name")],
    scopes: Annotated[str | None, typer.Option(help=f"comma-separated; default all: {','.join(ALL_SCOPES)}")] = None,
    name: Annotated[str, typer.Option(help="a label for the key")] = "",
) -> None:
    """Create a key (and the account if missing); prints the secret alone on the last line."""
    from cli.keys import create_key

    try:
        chosen = parse_scopes(scopes) if scopes else list(ALL_SCOPES)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise typer.Exit(2) from exc
    if not chosen:
        print("error: --scopes names no scope", file=sys.stderr)
        raise typer.Exit(2)
    key, secret = asyncio.run(create_key(get_settings(), account, chosen, name))
    print(f"created key {key.id} for account {account} with scopes {','.join(key.scopes)}")
    print("store this secret now; it cannot be shown again:")
    print(secret)


@keys_app.command("list")
def keys_list(account: Annotated[str | None, typer.Option(help="only this account's keys")] = None) -> None:
    """List keys (never their secrets), and a rotated key's previous secret while it still works."""
    from cli.keys import list_keys

    rows = asyncio.run(list_keys(get_settings(), account))
    now = utc_now()
    print(f"{'ID':<22} {'ACCOUNT':<20} {'PREFIX':<14} {'STATUS':<8} {'NAME':<16} SCOPES")
    for key, account_name in rows:
        state = "revoked" if key.revoked_at else "active"
        print(f"{key.id:<22} {account_name:<20} {key.prefix:<14} {state:<8} {key.name:<16} {','.join(key.scopes)}")
        expires = key.previous_expires_at
        if key.previous_prefix and expires is not None and expires > now and not key.revoked_at:
            stops = expires.isoformat(timespec="seconds")
            print(f"{'':<22} {'':<20} {key.previous_prefix:<14} {'previous':<8} stops working at {stops}")


@keys_app.command("revoke")
def keys_revoke(key_id: str) -> None:
    """Revoke a key by id."""
    from cli.keys import revoke_key

    if not asyncio.run(revoke_key(get_settings(), key_id)):
        print(f"error: no key {key_id}", file=sys.stderr)
        raise typer.Exit(1)
    print(f"revoked {key_id}")


@keys_app.command("rotate")
def keys_rotate(
    key_id: str,
    grace: Annotated[str, typer.Option(help="how long the old secret keeps working (e.g. 24h, 30m, 0)")] = "24h",
) -> None:
    """New secret, same key (id, account, scopes); the old secret keeps working for --grace."""
    from cli.keys import rotate_key

    try:
        period = parse_duration(grace)
    except ValueError as exc:
        print(f"error: --grace: {exc}", file=sys.stderr)
        raise typer.Exit(2) from exc
    rotated = asyncio.run(rotate_key(get_settings(), key_id, period))
    if rotated is None:
        print(f"error: no live key {key_id}", file=sys.stderr)
        raise typer.Exit(1)
    key, secret = rotated
    stops = (utc_now() + period).isoformat(timespec="seconds")
    print(f"rotated key {key.id}: the previous secret ({key.previous_prefix}...) stops working at {stops}")
    print("store this secret now; it cannot be shown again:")
    print(secret)


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    try:
        app(args=list(argv) if argv is not None else None, prog_name="autopersonas")
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
