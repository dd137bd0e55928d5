"""Base model for workflow and activity payloads."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Contract(BaseModel):
    """Frozen, and tolerant of unknown fields so an old worker can read a newer payload."""

    model_config = ConfigDict(frozen=True, extra="ignore")
