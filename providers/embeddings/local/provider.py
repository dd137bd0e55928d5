"""The embedded embeddings model: WordLlama's ``l2_supercat`` 256-dimension model, whose weights and
tokenizer ship inside the ``wordllama`` wheel, so it loads offline with no download at run time.

We load the two packaged files ourselves: ``WordLlama.load()`` looks for the tokenizer under ``tokenizer/``
while the wheel ships it under ``tokenizers/`` (wordllama 0.4.0), so it would try to download a file it
already has, and fail offline.

Loading takes a fraction of a second and the model is small (16 MB); it is loaded once per process, on
first use, and embeds on a worker thread so the event loop keeps serving heartbeats."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Sequence
from importlib import resources
from typing import Any

MODEL = "wordllama-l2_supercat-256"


@functools.lru_cache(maxsize=1)
def _model() -> Any:
    from safetensors import safe_open
    from tokenizers import Tokenizer
    from wordllama.inference import WordLlamaInference

    root = resources.files("wordllama")
    tokenizer = Tokenizer.from_file(str(root / "tokenizers" / "l2_supercat_tokenizer_config.json"))
    with safe_open(str(root / "weights" / "l2_supercat_256.safetensors"), framework="np", device="cpu") as f:
        embedding = f.get_tensor("embedding.weight")
    return WordLlamaInference(embedding, tokenizer, binary=False)


def embed_now(texts: Sequence[str]) -> list[list[float]]:
    if not texts:
        return []
    vectors = _model().embed(list(texts), norm=True)
    return [[round(float(x), 6) for x in row] for row in vectors]


class LocalEmbeddingsProvider:
    name = "local"
    in_process = True
    model = MODEL

    async def embed(self, texts: Sequence[str]) -> list[list[float]]:
        return await asyncio.to_thread(embed_now, list(texts))
