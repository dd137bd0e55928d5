"""Imported by the render pool's fork server and by nothing else (``set_forkserver_preload`` in ``pool``):
it ties the fork server's life to the worker's, since Python's fork server can outlive a worker killed
with SIGKILL, and loads the renderer once so every forked child starts drawing at once."""

from __future__ import annotations

from providers.images.local import render  # noqa: F401  (preloaded for the forked children)
from providers.images.local.pool import die_with_parent

die_with_parent()
