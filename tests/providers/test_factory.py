"""Provider selection from settings, and start-up failures for missing credentials."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from core.settings import Settings
from providers.factory import build_image_provider, build_storage, build_text_provider, build_vision_provider
from providers.images.openai import OpenAIImageProvider
from providers.images.paced import PacedImageProvider
from providers.images.replicate import ReplicateImageProvider
from providers.storage.local.provider import LocalMediaStorage
from providers.storage.s3 import S3MediaStorage
from providers.text.openai import OpenAITextProvider
from providers.vision.openai import OpenAIVisionProvider


def settings(**values: Any) -> Settings:
    # _env_file=None: a developer's .env must not change what the test sees.
    return Settings(_env_file=None, **values)


@pytest.mark.parametrize(
    ("build", "kind", "variable"),
    [
        (build_image_provider, {"image_provider": "openai"}, "OPENAI_API_KEY"),
        (build_image_provider, {"image_provider": "replicate"}, "REPLICATE_API_TOKEN"),
        (build_text_provider, {"text_provider": "openai"}, "OPENAI_API_KEY"),
        (build_vision_provider, {"vision_provider": "openai"}, "OPENAI_API_KEY"),
    ],
)
def test_missing_credentials_fail_at_build_time(
    monkeypatch: pytest.MonkeyPatch, build: Callable[[Settings], object], kind: dict, variable: str
) -> None:
    for name in ("OPENAI_API_KEY", "REPLICATE_API_TOKEN", "S3_SECRET_ACCESS_KEY", "S3_ACCESS_KEY_ID"):
        monkeypatch.delenv(f"AUTOPERSONAS_{name}", raising=False)
    with pytest.raises(ValueError, match=f"AUTOPERSONAS_{variable}"):
        build(settings(**kind))


@pytest.mark.parametrize(
    "keys", [{"s3_access_key_id": "AKID"}, {"s3_secret_access_key": "secret"}], ids=["key-only", "secret-only"]
)
def test_half_a_static_s3_credential_fails_at_build_time(monkeypatch: pytest.MonkeyPatch, keys: dict) -> None:
    for name in ("S3_SECRET_ACCESS_KEY", "S3_ACCESS_KEY_ID"):
        monkeypatch.delenv(f"AUTOPERSONAS_{name}", raising=False)
    with pytest.raises(ValueError, match="AUTOPERSONAS_S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY"):
        build_storage(settings(storage_backend="s3", **keys))


async def test_s3_without_static_keys_uses_the_credential_chain(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("S3_SECRET_ACCESS_KEY", "S3_ACCESS_KEY_ID"):
        monkeypatch.delenv(f"AUTOPERSONAS_{name}", raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "ASIACHAIN")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "chain-secret")
    storage = build_storage(settings(storage_backend="s3"))
    assert isinstance(storage, S3MediaStorage)
    assert await storage.credentials_source() == "env"
    await storage.aclose()


async def test_configured_http_adapters_are_built(tmp_path: Path) -> None:
    config = settings(
        image_provider="openai",
        text_provider="openai",
        vision_provider="openai",
        openai_api_key="sk-x",
        storage_backend="s3",
        s3_endpoint_url="http://127.0.0.1:9000",
        s3_access_key_id="AKID",
        s3_secret_access_key="secret",
        data_dir=tmp_path,
    )
    image, text = build_image_provider(config), build_text_provider(config)
    vision, storage = build_vision_provider(config), build_storage(config)
    replicate = build_image_provider(settings(image_provider="replicate", replicate_api_token="r8"))

    # Remote image providers come paced at their own concurrency (settings), 429s held back, not failed.
    assert isinstance(image, PacedImageProvider) and isinstance(image.inner, OpenAIImageProvider)
    assert image.concurrency == config.openai_image_concurrency
    assert isinstance(text, OpenAITextProvider)
    assert isinstance(vision, OpenAIVisionProvider) and isinstance(storage, S3MediaStorage)
    assert isinstance(replicate, PacedImageProvider) and isinstance(replicate.inner, ReplicateImageProvider)
    assert replicate.concurrency == 16
    for adapter in (image, text, vision, storage, replicate):
        await adapter.aclose()


def test_local_storage_lives_in_the_media_dir(tmp_path: Path) -> None:
    storage = build_storage(settings(data_dir=tmp_path, media_dir=None, public_base_url="https://ap.example"))

    assert isinstance(storage, LocalMediaStorage)
    assert storage.root == (tmp_path / "media").resolve()
    assert storage.url("a/b.png") == "https://ap.example/media/a/b.png"


@pytest.mark.parametrize("build", [build_text_provider, build_vision_provider])
def test_replicate_is_refused_for_text_and_vision(build: Callable[[Settings], object]) -> None:
    kind = "text_provider" if build is build_text_provider else "vision_provider"
    with pytest.raises(ValueError, match="not supported"):
        build(settings(**{kind: "replicate"}))
