"""Embeddings from an OpenAI-compatible ``POST /embeddings`` (OpenAI, vLLM, Ollama): ``{"model", "input"}``
in, ``{"data": [{"index", "embedding"}]}`` out, put back in input order."""

from __future__ import annotations

from collections.abc import Sequence

from core.errors import PermanentProviderError
from providers.openai_compat import OpenAICompatClient


class OpenAIEmbeddingsProvider:
    name = "openai"
    in_process = False

    def __init__(self, client: OpenAICompatClient, *, model: str) -> None:
        self.client = client
        self.model = model

    async def embed(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        body = await self.client.post_json("/embeddings", {"model": self.model, "input": list(texts)})
        data = body.get("data")
        if not isinstance(data, list) or len(data) != len(texts):
            raise PermanentProviderError("embeddings answered a different number of vectors than texts sent")
        ordered = sorted(data, key=lambda item: int(item.get("index", 0)))
        return [[float(x) for x in item["embedding"]] for item in ordered]
