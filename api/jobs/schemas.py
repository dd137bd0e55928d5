"""Job read model: a short generation's status and typed result."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from api.schemas import Schema
from domain.jobs import JobStatus


class JobOut(Schema):
    id: str
    kind: str
    status: JobStatus
    subject_id: str | None
    result: dict[str, Any] | None
    error: str | None
    workflow_id: str
    created_at: datetime
    finished_at: datetime | None
