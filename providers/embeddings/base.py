"""The embeddings interface: texts in, one vector per text out, named by the model that made them (vectors
of two models are not comparable, so each stored vector keeps its model's name)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class EmbeddingsProvider(Protocol):
    name: str
    model: str
    # True when it embeds in this process, with no remote call (see ``TextProvider.in_process``).
    in_process: bool

    async def embed(self, texts: Sequence[str]) -> list[list[float]]: ...
