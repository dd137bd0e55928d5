"""Embeddings: the local WordLlama model loads from its wheel alone (no network, no download), and the
OpenAI-compatible adapter speaks ``POST /embeddings``."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from core.errors import PermanentProviderError
from domain.voice_style import cosine
from providers.embeddings.local.provider import MODEL, LocalEmbeddingsProvider
from providers.embeddings.openai import OpenAIEmbeddingsProvider
from providers.openai_compat import OpenAICompatClient
from tests.providers.wire_servers import Recorded, Reply, WireServer

_OFFLINE_PROBE = """
import json, socket
def refuse(*args, **kwargs):
    raise OSError("network is off in this test")
socket.socket.connect = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
from providers.embeddings.local.provider import embed_now
print(json.dumps(embed_now(["rainy morning coffee in paris", "quarterly revenue report"])))
"""


def test_the_local_model_loads_and_embeds_with_the_network_off() -> None:
    env = {**os.environ, "HOME": "/nonexistent-home", "XDG_CACHE_HOME": "/nonexistent-cache"}
    done = subprocess.run(
        [sys.executable, "-c", _OFFLINE_PROBE], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    vectors = json.loads(done.stdout)
    assert [len(v) for v in vectors] == [256, 256]
    assert "Downloading" not in done.stderr


async def test_similar_texts_sit_closer_than_unrelated_ones() -> None:
    provider = LocalEmbeddingsProvider()
    coffee, latte, revenue = await provider.embed(
        ["morning coffee at my favourite cafe", "a latte and a croissant before work", "the quarterly revenue report"]
    )
    assert cosine(coffee, latte) > cosine(coffee, revenue) + 0.2
    assert provider.model == MODEL
    assert await provider.embed([]) == []


async def test_the_openai_compatible_adapter_returns_vectors_in_input_order() -> None:
    def answer(request: Recorded) -> Reply:
        body = request.json()
        assert request.headers["authorization"] == "Bearer sk-test"
        data = [{"object": "embedding", "index": i, "embedding": [float(i), 1.0]} for i in range(len(body["input"]))]
        return Reply.of_json({"object": "list", "model": body["model"], "data": list(reversed(data))})

    server = WireServer(answer)
    with server:
        client = OpenAICompatClient(base_url=f"{server.base_url}/v1", api_key="sk-test", timeout=5)
        provider = OpenAIEmbeddingsProvider(client, model="text-embedding-3-small")
        assert await provider.embed(["a", "b", "c"]) == [[0.0, 1.0], [1.0, 1.0], [2.0, 1.0]]
        (sent,) = server.requests
        assert sent.path == "/v1/embeddings"
        assert sent.json() == {"model": "text-embedding-3-small", "input": ["a", "b", "c"]}
        await client.aclose()


async def test_an_answer_with_the_wrong_number_of_vectors_is_refused() -> None:
    server = WireServer(lambda request: Reply.of_json({"data": [{"index": 0, "embedding": [1.0]}]}))
    with server:
        client = OpenAICompatClient(base_url=server.base_url, api_key="sk-test", timeout=5)
        with pytest.raises(PermanentProviderError):
            await OpenAIEmbeddingsProvider(client, model="m").embed(["a", "b"])
        await client.aclose()
