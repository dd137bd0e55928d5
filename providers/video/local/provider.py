"""The local video provider: renders on this machine with the bundled ffmpeg and keeps finished renders in a
small on-disk cache, so ``start``/``status``/``download``/``cancel`` behave like a remote render service.

``start`` renders before it returns (there is no queue to wait in), and a second ``start`` of the same
``request.key`` finds the finished render instead of rendering again: an activity retried after a crash pays
nothing twice. Render ids are derived from the key, so they survive a worker restart."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import shutil
import tempfile
from pathlib import Path

from core.errors import PermanentProviderError, ProviderError, TransientProviderError
from providers.video.base import RenderedVideo, RenderState, RenderStatus, VideoRequest
from providers.video.local.render import RenderSettings, render

logger = logging.getLogger(__name__)

MODEL = "local-kenburns-1"
_VIDEO, _POSTER, _META, _ERROR = "video.mp4", "poster.jpg", "meta.json", "error.txt"


def render_id_for(key: str) -> str:
    return "vid_" + hashlib.sha256(key.encode()).hexdigest()[:32]


class LocalVideoProvider:
    name = "local"

    def __init__(
        self,
        cache_dir: Path,
        *,
        scale: float = 1.0,
        preset: str = "veryfast",
        max_image_pixels: int = 40_000_000,
        max_concurrent_renders: int = 1,
    ) -> None:
        """``scale`` renders at a fraction of the platform sizes (previews, tests). Renders are CPU-bound, so
        at most ``max_concurrent_renders`` run at once in this process; others wait their turn."""
        if not 0.05 <= scale <= 1.0:
            raise ValueError("scale must be between 0.05 and 1")
        self._cache_dir = Path(cache_dir)
        self._settings = RenderSettings(scale=scale, preset=preset, max_image_pixels=max_image_pixels)
        self._slots = asyncio.Semaphore(max_concurrent_renders)
        self._locks: dict[str, asyncio.Lock] = {}

    def _entry(self, render_id: str) -> Path:
        if not render_id.startswith("vid_") or not render_id[4:].isalnum():
            raise PermanentProviderError(f"unknown render id {render_id!r}")
        return self._cache_dir / render_id

    async def start(self, request: VideoRequest) -> str:
        render_id = render_id_for(request.key)
        entry = self._entry(render_id)
        lock = self._locks.setdefault(render_id, asyncio.Lock())
        async with lock:  # Two starts of one key in this process render once.
            if (entry / _META).exists():
                return render_id
            async with self._slots:
                await self._render_into(request, entry)
        return render_id

    async def _render_into(self, request: VideoRequest, entry: Path) -> None:
        self._cache_dir.mkdir(parents=True, exist_ok=True)
        # Rendered in a scratch directory beside the cache and renamed into place when complete, so a
        # crash mid-render never leaves an entry that looks finished.
        scratch = Path(tempfile.mkdtemp(prefix=".render-", dir=self._cache_dir))
        try:
            try:
                output = await render(request, scratch, self._settings)
            except ProviderError as exc:
                logger.warning("video.local.render_failed key=%s error=%s", request.key, exc)
                result = scratch / "result"
                result.mkdir()
                (result / _ERROR).write_text(json.dumps({"error": str(exc), "type": exc.type_name}))
            else:
                result = scratch / "result"
                result.mkdir()
                (result / _VIDEO).write_bytes(output.video)
                (result / _POSTER).write_bytes(output.poster)
                meta = {"width": output.width, "height": output.height, "duration": output.duration_seconds}
                (result / _META).write_text(json.dumps(meta))
                logger.info("video.local.rendered key=%s bytes=%d", request.key, len(output.video))
            shutil.rmtree(entry, ignore_errors=True)  # A failed earlier attempt, replaced by this one.
            os.replace(result, entry)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    async def status(self, render_id: str) -> RenderStatus:
        entry = self._entry(render_id)
        if (entry / _META).exists():
            return RenderStatus(render_id=render_id, state=RenderState.SUCCEEDED, progress=1.0)
        if (entry / _ERROR).exists():
            failure = json.loads((entry / _ERROR).read_text())
            return RenderStatus(
                render_id=render_id, state=RenderState.FAILED, error=failure["error"], error_type=failure["type"]
            )
        # Never started here, or cancelled: a retry must start it again.
        return RenderStatus(
            render_id=render_id,
            state=RenderState.FAILED,
            error="render not found",
            error_type=TransientProviderError.type_name,
        )

    async def download(self, render_id: str) -> RenderedVideo:
        entry = self._entry(render_id)
        try:
            meta = json.loads((entry / _META).read_text())
            video = (entry / _VIDEO).read_bytes()
            poster = (entry / _POSTER).read_bytes()
        except FileNotFoundError as exc:
            raise PermanentProviderError(f"render {render_id} has no finished video") from exc
        return RenderedVideo(
            data=video,
            poster=poster,
            width=int(meta["width"]),
            height=int(meta["height"]),
            duration_seconds=float(meta["duration"]),
            model=MODEL,
        )

    async def cancel(self, render_id: str) -> None:
        shutil.rmtree(self._entry(render_id), ignore_errors=True)

    async def aclose(self) -> None:
        self._locks.clear()
