"""Job read model: a short generation's status and typed result."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from api.schemas import Schema

JobStatusOut = Literal["queued", "running", "completed", "failed"]


class JobOut(Schema):
    id: str
    kind: str
    status: JobStatusOut
    subject_id: str | None
    result: dict[str, Any] | None
    error: str | None
    workflow_id: str
    created_at: datetime
    finished_at: datetime | None
