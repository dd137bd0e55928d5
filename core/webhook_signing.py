"""Standard Webhooks signing: secrets (``whsec_`` + base64) and the three headers of a delivery, made with
the ``standardwebhooks`` package so any receiver's library verifies them.

During a rotation's overlap a delivery carries one signature per secret, space-separated, as the
specification allows: a receiver still holding the old secret and one already on the new both verify."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Sequence
from datetime import datetime

from standardwebhooks.webhooks import Webhook

SECRET_PREFIX = "whsec_"
_SECRET_BYTES = 32


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(_SECRET_BYTES)).decode()


def signing_secrets(
    current: str, previous: str | None, previous_expires_at: datetime | None, at: datetime
) -> list[str]:
    """The secrets that sign at ``at``: the current one, and the previous one until its overlap ends."""
    if previous is not None and previous_expires_at is not None and at < previous_expires_at:
        return [current, previous]
    return [current]


def signed_headers(message_id: str, body: str, signing: Sequence[str], timestamp: datetime) -> dict[str, str]:
    """``webhook-id``, ``webhook-timestamp`` and ``webhook-signature`` (one ``v1,`` signature per secret)."""
    signatures = " ".join(Webhook(secret).sign(message_id, timestamp, body) for secret in signing)
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(timestamp.timestamp())),
        "webhook-signature": signatures,
    }
