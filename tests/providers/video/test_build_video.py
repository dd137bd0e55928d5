"""``build_video`` picks the provider named by AUTOPERSONAS_VIDEO_PROVIDER and refuses missing credentials."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from core.settings import Settings
from providers.factory import build_video
from providers.video.local.provider import LocalVideoProvider
from providers.video.openai import OpenAIVideoProvider
from providers.video.replicate import ReplicateVideoProvider


def settings(**values: Any) -> Settings:
    return Settings(_env_file=None, **values)  # a developer's .env must not change what the test sees


async def test_local_is_the_default_and_caches_under_the_data_dir(tmp_path: Path) -> None:
    provider = build_video(settings(data_dir=tmp_path))
    assert isinstance(provider, LocalVideoProvider) and provider.name == "local"
    assert settings(data_dir=tmp_path).resolved_video_cache_dir == (tmp_path / "video-renders").resolve()
    await provider.aclose()


async def test_remote_providers_use_the_shared_credentials() -> None:
    replicate = build_video(settings(video_provider="replicate", replicate_api_token="r8-x"))
    openai = build_video(settings(video_provider="openai", openai_api_key="sk-x", openai_video_model="sora-2-pro"))
    assert isinstance(replicate, ReplicateVideoProvider) and replicate.model == "kwaivgi/kling-v2.1"
    assert isinstance(openai, OpenAIVideoProvider) and openai.model == "sora-2-pro"
    await replicate.aclose()
    await openai.aclose()


@pytest.mark.parametrize(("choice", "variable"), [("replicate", "REPLICATE_API_TOKEN"), ("openai", "OPENAI_API_KEY")])
def test_missing_credentials_fail_at_start_up(choice: str, variable: str) -> None:
    with pytest.raises(ValueError, match=f"AUTOPERSONAS_{variable}"):
        build_video(settings(video_provider=choice))
