"""The render step against a remote-style provider (start returns at once, the render runs elsewhere): a
retry that finds a render id in its heartbeat details resumes polling that render instead of starting and
paying for another; the heartbeats carry the render id; a render lost by the provider is started again."""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from temporalio.testing import ActivityEnvironment

from activities.video import VideoActivities
from contracts.cleanup import content_media_namespace
from contracts.video import VideoParams, VideoTarget, render_key
from providers.storage.local.provider import LocalMediaStorage
from providers.video.base import RenderedVideo, RenderState, RenderStatus, VideoRequest
from store.db import create_engine, create_session_factory, transaction
from store.models import ContentItem, UsageRecord
from tests.api.test_influencers import png_bytes
from tests.utils.factories import make_tenant


@dataclass
class RemoteFake:
    """A render service: ``start`` queues, ``status`` reports running ``polls_until_done`` times, then done."""

    polls_until_done: int = 2
    name: str = "remote-fake"
    starts: list[str] = field(default_factory=list)
    polls: dict[str, int] = field(default_factory=dict)
    known: set[str] = field(default_factory=set)

    async def start(self, request: VideoRequest) -> str:
        render_id = f"rnd_{len(self.starts) + 1}"
        self.starts.append(request.key)
        self.known.add(render_id)
        return render_id

    async def status(self, render_id: str) -> RenderStatus:
        if render_id not in self.known:
            return RenderStatus(render_id=render_id, state=RenderState.FAILED, error="render not found")
        self.polls[render_id] = self.polls.get(render_id, 0) + 1
        done = self.polls[render_id] > self.polls_until_done
        return RenderStatus(render_id=render_id, state=RenderState.SUCCEEDED if done else RenderState.RUNNING)

    async def download(self, render_id: str) -> RenderedVideo:
        return RenderedVideo(
            data=f"mp4 of {render_id}".encode(), poster=b"\xff\xd8\xff poster", width=270, height=480,
            duration_seconds=3.0, model="remote-fake",
        )

    async def cancel(self, render_id: str) -> None:
        self.known.discard(render_id)

    async def aclose(self) -> None:
        return None


@pytest.fixture
async def setup(database_url: str, tmp_path: Path) -> Any:
    engine = create_engine(database_url)
    sessions = create_session_factory(engine)
    tenant = await make_tenant(sessions)
    storage = LocalMediaStorage(tmp_path / "media", "http://127.0.0.1:9/media")
    content_id = f"cnt_{uuid.uuid4().hex[:12]}"
    namespace = content_media_namespace(tenant.account_id, content_id)
    key = await storage.put(namespace, png_bytes((10, 20, 30)), "image/png")
    async with transaction(sessions) as session:
        session.add(
            ContentItem(
                id=content_id, account_id=tenant.account_id, status="approved", media_key=key, caption="Hello."
            )
        )
    target = VideoTarget(
        account_id=tenant.account_id,
        content_id=content_id,
        revision=0,
        key=render_key(content_id, 0, "job_test"),
        params=VideoParams(duration_seconds=3),
        job_id="job_test",
        poll_seconds=0.01,
    )
    yield sessions, storage, target
    await engine.dispose()


def _env(details: list[Any], heartbeats: list[tuple[Any, ...]]) -> ActivityEnvironment:
    env = ActivityEnvironment()
    env.info = dataclasses.replace(env.info, heartbeat_details=details, attempt=2 if details else 1)
    env.on_heartbeat = lambda *args: heartbeats.append(args)
    return env


async def _charges(sessions: Any, account_id: str) -> list[int]:
    async with transaction(sessions) as session:
        rows = await session.scalars(select(UsageRecord.units).where(UsageRecord.account_id == account_id))
        return list(rows)


async def test_retry_resumes_the_heartbeated_render_without_starting_another(setup: Any) -> None:
    sessions, storage, target = setup
    provider = RemoteFake()
    first_heartbeats: list[tuple[Any, ...]] = []
    activities = VideoActivities(sessions, provider, storage)
    # The first attempt: it starts the render and heartbeats its id.
    first = await _env([], first_heartbeats).run(activities.render_video, target)
    assert provider.starts == [target.key]
    assert ("rnd_1",) in first_heartbeats

    # A retry whose heartbeat details name the render (as after a worker crash) polls it, never starts.
    provider.polls.clear()
    retry = await _env(["rnd_1"], []).run(activities.render_video, target)
    assert provider.starts == [target.key]
    assert provider.polls["rnd_1"] >= 1
    assert retry == first  # the same content-addressed files
    assert await _charges(sessions, target.account_id) == [3]  # one charge, keyed by the render


async def test_a_render_the_provider_lost_is_started_again_under_the_same_key(setup: Any) -> None:
    sessions, storage, target = setup
    provider = RemoteFake()
    activities = VideoActivities(sessions, provider, storage)
    video = await _env(["rnd_gone"], []).run(activities.render_video, target)
    assert provider.starts == [target.key]
    assert video.size_bytes == len(b"mp4 of rnd_1")
    assert await _charges(sessions, target.account_id) == [3]
