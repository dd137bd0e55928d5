"""Workers as real child processes, for tests that kill or outlive them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from core.settings import Settings


def start_worker(
    settings: Settings, log: Path, *, extra_env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """``python -m cli worker`` configured like ``settings`` (plus ``extra_env``), its output appended to ``log``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUTOPERSONAS_")}
    env.update(
        {
            "AUTOPERSONAS_DATA_DIR": str(settings.data_dir),
            "AUTOPERSONAS_DATABASE_URL": settings.resolved_database_url,
            "AUTOPERSONAS_TEMPORAL_ADDRESS": settings.temporal_address,
            "AUTOPERSONAS_TASK_QUEUE": settings.task_queue,
            "AUTOPERSONAS_PUBLIC_BASE_URL": settings.public_base_url,
            "AUTOPERSONAS_SHUTDOWN_GRACE_SECONDS": str(settings.shutdown_grace_seconds),
        }
    )
    env.update(extra_env or {})
    with log.open("ab") as out:
        return subprocess.Popen([sys.executable, "-m", "cli", "worker"], env=env, stdout=out, stderr=out)
