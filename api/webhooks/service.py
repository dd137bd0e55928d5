"""Webhook endpoints and their deliveries: create (the secret shown once), update, rotate the secret, delete,
read the deliveries log, redeliver. A URL is checked by the safe URL fetcher's rules when it is set, and again
on every delivery (a name may later resolve elsewhere)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from api.starter import StartFailure, WorkflowLaunch, WorkflowStarter
from api.webhooks.schemas import WebhookCreate, WebhookUpdate
from contracts.search import search_attributes
from contracts.webhooks import WEBHOOK_DELIVERY_WORKFLOW, DeliveryInput, delivery_workflow_id
from core.crypto import TokenCipher
from core.errors import Conflict, NotFound
from core.ids import new_id
from core.settings import Settings
from core.webhook_signing import new_secret
from domain.webhooks import SECRET_OVERLAP, DeliveryStatus, WebhookStatus
from providers.safe_fetch import FetchPolicy, check_url
from store.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent
from store.pagination import Page
from store.repositories.webhooks import WebhookDeliveryRepository, WebhookEndpointRepository, derived_id
from store.types import utcnow

URL_REFUSED = (
    "not a URL webhooks may be sent to: http(s) to a host that resolves to public addresses only "
    "(private and loopback addresses need AUTOPERSONAS_ALLOW_PRIVATE_URLS=true)"
)


async def _check_url(url: str, settings: Settings) -> None:
    policy = FetchPolicy.from_settings(settings, max_bytes=0, deadline_seconds=5.0)
    await check_url(url, "url", policy, message=URL_REFUSED)


async def create_webhook(
    session: AsyncSession, cipher: TokenCipher, settings: Settings, account_id: str, body: WebhookCreate
) -> tuple[WebhookEndpoint, str]:
    await _check_url(body.url, settings)
    secret = new_secret()
    endpoint = await WebhookEndpointRepository(session).add(
        WebhookEndpoint(
            id=new_id("whk"),
            account_id=account_id,
            url=body.url,
            description=body.description,
            events=body.events,
            status=WebhookStatus.ENABLED,
            encrypted_secret=cipher.encrypt(secret),
        )
    )
    return endpoint, secret


async def get_webhook(session: AsyncSession, account_id: str, webhook_id: str) -> WebhookEndpoint:
    return await WebhookEndpointRepository(session).get_owned(account_id, webhook_id)


async def list_webhooks(
    session: AsyncSession, account_id: str, *, limit: int, cursor: str | None
) -> Page[WebhookEndpoint]:
    return await WebhookEndpointRepository(session).list(account_id, limit=limit, cursor=cursor)


async def update_webhook(
    session: AsyncSession, settings: Settings, account_id: str, webhook_id: str, body: WebhookUpdate
) -> WebhookEndpoint:
    endpoint = await get_webhook(session, account_id, webhook_id)
    if body.url is not None:
        await _check_url(body.url, settings)
        endpoint.url = body.url
    if body.events is not None:
        endpoint.events = body.events
    if body.description is not None:
        endpoint.description = body.description
    if body.enabled is True:
        # A fresh start: the failing streak that disabled it is forgotten with its reason.
        endpoint.status, endpoint.disabled_reason, endpoint.failing_since = WebhookStatus.ENABLED, None, None
    elif body.enabled is False:
        endpoint.status, endpoint.disabled_reason = WebhookStatus.DISABLED, "disabled by its owner"
    endpoint.updated_at = utcnow()
    await session.flush()
    return endpoint


async def rotate_secret(
    session: AsyncSession, cipher: TokenCipher, account_id: str, webhook_id: str
) -> tuple[WebhookEndpoint, str]:
    """A new secret signs from now on; the current one keeps signing beside it for ``SECRET_OVERLAP``."""
    endpoint = await get_webhook(session, account_id, webhook_id)
    secret = new_secret()
    endpoint.encrypted_previous_secret = endpoint.encrypted_secret
    endpoint.previous_secret_expires_at = utcnow() + SECRET_OVERLAP
    endpoint.encrypted_secret = cipher.encrypt(secret)
    endpoint.updated_at = utcnow()
    await session.flush()
    return endpoint, secret


async def delete_webhook(session: AsyncSession, account_id: str, webhook_id: str) -> None:
    """Its deliveries go with it; a delivery still retrying finds the endpoint gone and stops."""
    repo = WebhookEndpointRepository(session)
    await repo.delete(await repo.get_owned(account_id, webhook_id))


async def list_deliveries(
    session: AsyncSession, account_id: str, webhook_id: str, *, limit: int, cursor: str | None
) -> tuple[Page[WebhookDelivery], dict[str, str], dict[str, list[WebhookAttempt]]]:
    await get_webhook(session, account_id, webhook_id)
    repo = WebhookDeliveryRepository(session)
    page = await repo.for_endpoint(account_id, webhook_id, limit=limit, cursor=cursor)
    ids = [d.id for d in page.items]
    return page, await _event_types(session, [d.event_id for d in page.items]), await repo.attempts(ids)


async def _event_types(session: AsyncSession, event_ids: Sequence[str]) -> dict[str, str]:
    types: dict[str, str] = {}
    for event_id in set(event_ids):
        event = await session.get(WebhookEvent, event_id)
        if event is not None:
            types[event_id] = event.type
    return types


async def redeliver(
    starter: WorkflowStarter, account_id: str, webhook_id: str, delivery_id: str
) -> tuple[WebhookDelivery, str]:
    """Send a delivery's event again, as a new delivery (same ``webhook-id``: receivers may deduplicate)."""
    session = starter.session
    endpoint = await get_webhook(session, account_id, webhook_id)
    repo = WebhookDeliveryRepository(session)
    original = await repo.get_owned(account_id, delivery_id)
    if original.endpoint_id != endpoint.id:
        raise NotFound(f"delivery {delivery_id} not found")  # another webhook's: the same 404 as a missing one
    if endpoint.status != WebhookStatus.ENABLED:
        raise Conflict(f"webhook {endpoint.id} is disabled; enable it first", code="webhook_disabled")
    number = await repo.count_redeliveries(original.id) + 1
    redelivery_id = derived_id("whd", original.id, f"redelivery-{number}")
    delivery = await repo.add(
        WebhookDelivery(
            id=redelivery_id,
            account_id=account_id,
            endpoint_id=endpoint.id,
            event_id=original.event_id,
            redelivery_of=original.id,
            status=DeliveryStatus.PENDING,
            workflow_id=delivery_workflow_id(redelivery_id),
        )
    )
    event_type = (await _event_types(session, [original.event_id])).get(original.event_id, "")

    async def failed(failure: StartFailure) -> None:
        delivery.error = failure.message
        await repo.mark(delivery, DeliveryStatus.FAILED, finished_at=utcnow())

    await starter.start(
        WorkflowLaunch(
            workflow=WEBHOOK_DELIVERY_WORKFLOW,
            input=DeliveryInput(delivery_id=delivery.id, account_id=account_id),
            workflow_id=delivery.workflow_id,
            search_attributes=search_attributes(account_id),
            busy_message=f"delivery {delivery.id} is already running",
            on_failure=failed,
            summary=f"Redeliver {event_type or 'event'} {original.event_id} to {endpoint.url}",
            resource_path=f"/webhooks/{endpoint.id}/deliveries",
        )
    )
    await session.refresh(delivery)
    return delivery, event_type

