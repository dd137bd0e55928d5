"""``/webhooks``: register endpoints for signed events (Standard Webhooks), rotate their secrets, read each
endpoint's deliveries with every attempt, and send a delivery again."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from api.auth import ProfileRead, ProfileWrite
from api.deps import DEFAULT_PAGE_SIZE, CipherDep, Cursor, Limit, SessionDep, SettingsDep
from api.schemas import ErrorResponse
from api.starter import STARTS_WORK_RESPONSES, StarterDep
from api.webhooks import service
from api.webhooks.schemas import (
    DeliveryOut,
    WebhookCreate,
    WebhookOut,
    WebhookUpdate,
    WebhookWithSecret,
    delivery_out,
    webhook_out,
    webhook_with_secret,
)
from core.wire import ListResponse

router = APIRouter(prefix="/webhooks", tags=["webhooks"])


@router.post(
    "",
    response_model=WebhookWithSecret,
    status_code=status.HTTP_201_CREATED,
    summary="Register a webhook endpoint",
    description="The answer carries the signing `secret` (`whsec_...`) once. Deliveries are signed per Standard "
    "Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`). A URL resolving to a private or loopback "
    "address is a 422 unless the server allows them.",
)
async def create_webhook(
    body: WebhookCreate, principal: ProfileWrite, session: SessionDep, cipher: CipherDep, settings: SettingsDep
) -> WebhookWithSecret:
    endpoint, secret = await service.create_webhook(session, cipher, settings, principal.account_id, body)
    return webhook_with_secret(endpoint, secret)


@router.get("", response_model=ListResponse[WebhookOut], summary="List webhook endpoints")
async def list_webhooks(
    principal: ProfileRead, session: SessionDep, limit: Limit = DEFAULT_PAGE_SIZE, cursor: Cursor = None
) -> ListResponse[WebhookOut]:
    page = await service.list_webhooks(session, principal.account_id, limit=limit, cursor=cursor)
    return ListResponse(data=[webhook_out(e) for e in page.items], next_cursor=page.next_cursor)


@router.get("/{webhook_id}", response_model=WebhookOut, summary="Get a webhook endpoint")
async def get_webhook(webhook_id: str, principal: ProfileRead, session: SessionDep) -> WebhookOut:
    return webhook_out(await service.get_webhook(session, principal.account_id, webhook_id))


@router.patch(
    "/{webhook_id}",
    response_model=WebhookOut,
    summary="Update a webhook endpoint",
    description="`enabled: true` re-enables an endpoint we disabled after three days of failures.",
)
async def update_webhook(
    webhook_id: str, body: WebhookUpdate, principal: ProfileWrite, session: SessionDep, settings: SettingsDep
) -> WebhookOut:
    return webhook_out(await service.update_webhook(session, settings, principal.account_id, webhook_id, body))


@router.post(
    "/{webhook_id}/rotate-secret",
    response_model=WebhookWithSecret,
    summary="Rotate the signing secret",
    description="The new secret is shown once. The previous one keeps signing beside it for 24 hours "
    "(`previousSecretExpiresAt`), so receivers can switch without missing a delivery.",
)
async def rotate_secret(
    webhook_id: str, principal: ProfileWrite, session: SessionDep, cipher: CipherDep
) -> WebhookWithSecret:
    endpoint, secret = await service.rotate_secret(session, cipher, principal.account_id, webhook_id)
    return webhook_with_secret(endpoint, secret)


@router.delete("/{webhook_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Delete a webhook endpoint")
async def delete_webhook(webhook_id: str, principal: ProfileWrite, session: SessionDep) -> None:
    await service.delete_webhook(session, principal.account_id, webhook_id)


@router.get(
    "/{webhook_id}/deliveries",
    response_model=ListResponse[DeliveryOut],
    summary="List an endpoint's deliveries",
    description="Newest first; each with its event and every attempt (status code, duration, error).",
)
async def list_deliveries(
    webhook_id: str,
    principal: ProfileRead,
    session: SessionDep,
    limit: Limit = DEFAULT_PAGE_SIZE,
    cursor: Cursor = None,
) -> ListResponse[DeliveryOut]:
    page, types, attempts = await service.list_deliveries(
        session, principal.account_id, webhook_id, limit=limit, cursor=cursor
    )
    data = [delivery_out(d, types.get(d.event_id, ""), attempts.get(d.id, [])) for d in page.items]
    return ListResponse(data=data, next_cursor=page.next_cursor)


@router.post(
    "/{webhook_id}/deliveries/{delivery_id}/redeliver",
    response_model=DeliveryOut,
    status_code=status.HTTP_202_ACCEPTED,
    summary="Send a delivery's event again",
    description="A new delivery of the same event (same `webhook-id`), retried like the first.",
    responses={**STARTS_WORK_RESPONSES, 409: {"model": ErrorResponse, "description": "The endpoint is disabled"}},
)
async def redeliver(
    webhook_id: str, delivery_id: str, principal: ProfileWrite, starter: StarterDep, response: Response
) -> DeliveryOut:
    delivery, event_type = await service.redeliver(starter, principal.account_id, webhook_id, delivery_id)
    response.headers["Location"] = f"/api/v1/webhooks/{webhook_id}/deliveries"
    return delivery_out(delivery, event_type, [])
