"""The ``autopersonas`` command: ``dev`` (whole stack), ``temporal``, ``worker``, ``api``, ``db``, ``keys``."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence

from core.logging import configure_logging
from core.scopes import ALL_SCOPES, parse_scopes
from core.settings import get_settings


def _cmd_worker(args: argparse.Namespace) -> int:
    import worker

    worker.main()
    return 0


def _cmd_api(args: argparse.Namespace) -> int:
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
        host=args.host,
        port=args.port,
        log_level=settings.log_level.lower(),
        timeout_graceful_shutdown=int(settings.shutdown_grace_seconds) or None,
        **log_config,  # type: ignore[arg-type]
    )
    return 0


def _cmd_db_upgrade(args: argparse.Namespace) -> int:
    from store.migrate import upgrade

    settings = get_settings()
    upgrade(settings.resolved_database_url, args.revision)
    print(f"database at revision {args.revision}: {settings.resolved_database_url}")
    return 0


def _cmd_keys_create(args: argparse.Namespace) -> int:
    from cli.keys import create_key

    try:
        scopes = parse_scopes(args.scopes) if args.scopes else list(ALL_SCOPES)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not scopes:
        print("error: --scopes names no scope", file=sys.stderr)
        return 2
    key, secret = asyncio.run(create_key(get_settings(), args.account, scopes, args.name))
    print(f"created key {key.id} for account {args.account} with scopes {','.join(key.scopes)}")
    print("store this secret now; it cannot be shown again:")
    print(secret)
    return 0


def _cmd_keys_list(args: argparse.Namespace) -> int:
    from cli.keys import list_keys

    rows = asyncio.run(list_keys(get_settings(), args.account))
    print(f"{'ID':<22} {'ACCOUNT':<20} {'PREFIX':<14} {'STATUS':<8} {'NAME':<16} SCOPES")
    for key, account_name in rows:
        state = "revoked" if key.revoked_at else "active"
        print(f"{key.id:<22} {account_name:<20} {key.prefix:<14} {state:<8} {key.name:<16} {','.join(key.scopes)}")
    return 0


def _cmd_keys_revoke(args: argparse.Namespace) -> int:
    from cli.keys import revoke_key

    if not asyncio.run(revoke_key(get_settings(), args.key_id)):
        print(f"error: no key {args.key_id}", file=sys.stderr)
        return 1
    print(f"revoked {args.key_id}")
    return 0


def _cmd_temporal(args: argparse.Namespace) -> int:
    from cli.stack import run_temporal_only

    return run_temporal_only(get_settings(), args.temporal_port, args.ui_port)


def _cmd_dev(args: argparse.Namespace) -> int:
    from cli.stack import run_dev_stack

    return run_dev_stack(get_settings(), api_port=args.api_port, temporal_port=args.temporal_port, ui_port=args.ui_port)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="autopersonas", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    dev = sub.add_parser("dev", help="run Temporal, migrations, worker and API in the foreground (Ctrl-C stops all)")
    dev.add_argument("--api-port", type=int, default=8000)
    dev.add_argument("--temporal-port", type=int, default=7233)
    dev.add_argument("--ui-port", type=int, default=8233)
    dev.set_defaults(func=_cmd_dev)

    temporal = sub.add_parser("temporal", help="run only the Temporal dev server (persisted in the data dir)")
    temporal.add_argument("--temporal-port", type=int, default=7233)
    temporal.add_argument("--ui-port", type=int, default=8233)
    temporal.set_defaults(func=_cmd_temporal)

    sub.add_parser("worker", help="run the Temporal worker").set_defaults(func=_cmd_worker)

    api = sub.add_parser("api", help="run the HTTP API")
    api.add_argument("--host", default="127.0.0.1")
    api.add_argument("--port", type=int, default=8000)
    api.set_defaults(func=_cmd_api)

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    upgrade = db_sub.add_parser("upgrade", help="apply migrations")
    upgrade.add_argument("revision", nargs="?", default="head")
    upgrade.set_defaults(func=_cmd_db_upgrade)

    keys = sub.add_parser("keys", help="API keys")
    keys_sub = keys.add_subparsers(dest="keys_command", required=True)
    create = keys_sub.add_parser("create", help="create a key (and the account if missing); prints the secret last")
    create.add_argument("--account", required=True, help="account name")
    create.add_argument("--scopes", help=f"comma-separated; default all: {','.join(ALL_SCOPES)}")
    create.add_argument("--name", default="", help="a label for the key")
    create.set_defaults(func=_cmd_keys_create)
    list_ = keys_sub.add_parser("list", help="list keys (never their secrets)")
    list_.add_argument("--account", help="only this account's keys")
    list_.set_defaults(func=_cmd_keys_list)
    revoke = keys_sub.add_parser("revoke", help="revoke a key by id")
    revoke.add_argument("key_id")
    revoke.set_defaults(func=_cmd_keys_revoke)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
