"""The embedded image provider with its drawing in a pool of processes, so every core draws.

Drawing is CPU-bound Python (Pillow releases the GIL only in parts), so threads in the worker process
render about one image at a time whatever the machine has. A process pool in the worker, rather than more
worker processes, keeps one Temporal worker (one set of slots, one database pool, one graceful shutdown)
and scales only the part that needs cores. Children come from a fork server: forking the worker itself,
with the Temporal SDK's threads running, is unsafe, and spawning would make every child import the
worker's whole main module again. The fork server (``pool_server``) and every child get a parent-death
signal, so a worker killed with SIGKILL leaves no renderers behind."""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import multiprocessing
import os
import signal
import sys
from concurrent.futures import ProcessPoolExecutor

from core.errors import PermanentProviderError
from domain.aesthetic_grades import GRADES_BY_ID
from providers.images.base import GeneratedImage, ImageRequest
from providers.images.local.provider import MODEL
from providers.images.local.render import render_png

_PR_SET_PDEATHSIG = 1
# After this many images per process the pool is replaced by a fresh one: whatever a long run leaves in a
# child's heap (Pillow and font caches) goes back to the system, so the worker's memory stays flat over big
# batches. Not ``max_tasks_per_child``: on Python 3.11 to 3.13 a pool that retires a child at its limit can
# stop scheduling for good (CPython gh-115634); here a 1,000-item batch stalled after 400 images.
IMAGES_PER_PROCESS = 200


def die_with_parent() -> None:
    """The kernel kills this process when its parent dies (Linux; elsewhere a no-op). The pool's initializer
    in each child (whose parent is the fork server), and ``pool_server`` in the fork server (whose parent is
    the worker)."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() == 1:  # the parent died before prctl: nobody would send the signal
            os._exit(1)


def default_processes() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


class PooledLocalImageProvider:
    name = "local"

    def __init__(self, processes: int, images_per_process: int = IMAGES_PER_PROCESS) -> None:
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(["providers.images.local.pool_server"])
        self.processes = processes
        self._images_per_pool = processes * images_per_process
        self._submitted = 0
        self._pool = self._new_pool()
        # The pool last replaced, kept until the next replacement so its queued images finish undisturbed.
        self._retired: ProcessPoolExecutor | None = None

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=self.processes, mp_context=self._context, initializer=die_with_parent)

    def _pool_for_next_image(self) -> ProcessPoolExecutor:
        if self._submitted >= self._images_per_pool:
            self._retired, self._pool, self._submitted = self._pool, self._new_pool(), 0
            # Its images already queued still finish; then its processes exit.
            self._retired.shutdown(wait=False)
        self._submitted += 1
        return self._pool

    async def warm(self) -> None:
        """Start every process now (the pool starts them lazily): a worker warms its pool while it begins
        polling, so the first batch after a start or a crash does not pay for the children's start-up."""
        loop = asyncio.get_running_loop()
        await asyncio.gather(*(loop.run_in_executor(self._pool, os.getpid) for _ in range(self.processes)))

    async def generate(self, request: ImageRequest) -> GeneratedImage:
        if request.grade_id is not None and request.grade_id not in GRADES_BY_ID:
            raise PermanentProviderError(f"unknown aesthetic grade {request.grade_id!r}")
        data = await asyncio.get_running_loop().run_in_executor(self._pool_for_next_image(), render_png, request)
        return GeneratedImage(
            data=data, content_type="image/png", width=request.width, height=request.height, model=MODEL
        )

    async def aclose(self) -> None:
        for pool in (self._pool, self._retired):
            if pool is not None:
                pool.shutdown(wait=False, cancel_futures=True)
