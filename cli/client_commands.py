"""Client commands that speak the HTTP API (``AUTOPERSONAS_API_URL``, ``AUTOPERSONAS_API_KEY``):
``generate --watch``, ``content list|approve|reject|publish``, ``batches watch``, ``jobs watch``."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from cli.api_client import ApiClient, ApiError, ExitCode
from cli.watch import watch_batch, watch_job
from core.settings import get_settings

console = Console()
errors = Console(stderr=True)

content_app = typer.Typer(help="Content items: list, approve, reject, publish.", no_args_is_help=True)
batches_app = typer.Typer(help="Batches of generated content.", no_args_is_help=True)
jobs_app = typer.Typer(help="Jobs (regenerate, wardrobe, video...).", no_args_is_help=True)

# Built per command so tests can hand in a transport; the default talks to the configured API.
client_factory: Callable[[], ApiClient] = lambda: ApiClient(get_settings())  # noqa: E731


@contextmanager
def api_session() -> Iterator[ApiClient]:
    """The client, with every API failure turned into a message on stderr and its exit code."""
    try:
        with client_factory() as api:
            yield api
    except ApiError as exc:
        errors.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(int(exc.exit_code)) from exc


def items_table(items: list[dict[str, Any]], title: str) -> Table:
    table = Table(title=title)
    table.add_column("id", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("caption", overflow="fold")
    table.add_column("media", overflow="fold")
    for item in items:
        caption = (item.get("caption") or "").replace("\n", " ")
        table.add_row(
            item["id"],
            item["status"],
            caption[:60] + ("…" if len(caption) > 60 else ""),
            item.get("mediaUrl") or "",
        )
    return table


def _finish(outcome: ExitCode) -> None:
    if outcome is not ExitCode.OK:
        raise typer.Exit(int(outcome))


def generate(
    profile: Annotated[str, typer.Option("--profile", help="profile id (prof_...)")],
    count: Annotated[int, typer.Option("--count", min=1, max=100, help="items to generate")] = 4,
    mood: Annotated[str | None, typer.Option(help="mood of the scenes")] = None,
    setting: Annotated[str | None, typer.Option(help="where the scenes take place")] = None,
    watch: Annotated[bool, typer.Option("--watch", help="follow the batch until it ends")] = False,
) -> None:
    """Generate a batch of content for a profile; with --watch, a live progress bar and the items."""
    body = {"profileId": profile, "count": count, "mood": mood, "setting": setting}
    with api_session() as api:
        batch = api.post("/content/generate", {k: v for k, v in body.items() if v is not None})
        console.print(f"batch [bold]{batch['id']}[/bold] {batch['status']} ({count} items)")
        if not watch:
            return
        outcome = _watch_batch_and_show(api, batch["id"])
    _finish(outcome)


def _watch_batch_and_show(api: ApiClient, batch_id: str) -> ExitCode:
    batch, outcome = watch_batch(api, batch_id, console)
    items = api.get("/content", batchId=batch_id, limit=100)["data"]
    console.print(items_table(items, f"batch {batch_id}: {batch['status']}"))
    for item in batch.get("items") or []:
        if item.get("error"):
            errors.print(f"item {item['position']}: {item.get('errorCode')}: {item['error']}")
    return outcome


@batches_app.command("watch")
def batches_watch(batch_id: str) -> None:
    """Follow a batch until it ends; exit 0 if every item succeeded, 1 otherwise."""
    with api_session() as api:
        outcome = _watch_batch_and_show(api, batch_id)
    _finish(outcome)


@jobs_app.command("watch")
def jobs_watch(job_id: str) -> None:
    """Follow a job until it ends; print its result; exit 0 if it completed, 1 if it failed."""
    with api_session() as api:
        job, outcome = watch_job(api, job_id, console)
    console.print(f"job [bold]{job['id']}[/bold] {job['kind']}: {job['status']}")
    if job.get("error"):
        errors.print(f"error: {job['error']}")
    if job.get("result") is not None:
        console.print_json(json.dumps(job["result"]))
    _finish(outcome)


@content_app.command("list")
def content_list(
    profile: Annotated[str | None, typer.Option(help="only this profile's items")] = None,
    status: Annotated[str | None, typer.Option(help="only items in this status")] = None,
    batch: Annotated[str | None, typer.Option(help="only this batch's items")] = None,
    limit: Annotated[int, typer.Option(min=1, max=100)] = 20,
) -> None:
    """List content items, newest first."""
    with api_session() as api:
        page = api.get("/content", profileId=profile, status=status, batchId=batch, limit=limit)
    console.print(items_table(page["data"], "content"))


@content_app.command("approve")
def content_approve(content_id: str) -> None:
    """Approve an item for publishing."""
    with api_session() as api:
        item = api.post(f"/content/{content_id}/approve")
    console.print(f"{item['id']}: {item['status']}")


@content_app.command("reject")
def content_reject(content_id: str, reason: Annotated[str | None, typer.Option(help="why")] = None) -> None:
    """Reject an item."""
    with api_session() as api:
        item = api.post(f"/content/{content_id}/reject", {"reason": reason} if reason else None)
    console.print(f"{item['id']}: {item['status']}")


@content_app.command("publish")
def content_publish(
    content_id: str,
    account: Annotated[list[str] | None, typer.Option("--account", help="account id; repeat for several")] = None,
    at: Annotated[str | None, typer.Option(help="ISO 8601 time with offset; now if unset")] = None,
) -> None:
    """Publish an approved item to its profile's accounts (or the ones named)."""
    body: dict[str, Any] = {}
    if account:
        body["accountIds"] = account
    if at:
        body["scheduledAt"] = at
    with api_session() as api:
        status = api.post(f"/content/{content_id}/publish", body)
    for target in status.get("targets", []):
        console.print(f"{target['platform']} {target['accountId']}: {target['status']}")
