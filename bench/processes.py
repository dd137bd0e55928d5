"""What a process costs, read from Linux ``/proc``: CPU seconds, resident memory, and the Temporal dev
server among this process's children. On a shared, busy machine the CPU a process spends per unit of work
is a steadier figure than the units per second."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a live process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _status_mb(pid: int | str, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/{pid}/status")


def memory_mb(pid: int | str = "self") -> tuple[float, float]:
    """(current, peak) resident memory of a process."""
    return _status_mb(pid, "VmRSS"), _status_mb(pid, "VmHWM")


def _children() -> Iterator[int]:
    for child in Path(f"/proc/{os.getpid()}/task").glob("*/children"):
        yield from (int(pid) for pid in child.read_text().split())


def children_rss_mb() -> float:
    """Resident memory of this process's children now (the render pool)."""
    return sum(memory_mb(pid)[0] for pid in _children() if Path(f"/proc/{pid}/status").exists())


def temporal_server_pid() -> int | None:
    """The dev server this process started, among its children."""
    for pid in _children():
        cmdline = Path(f"/proc/{pid}/cmdline")
        if cmdline.exists() and b"start-dev" in cmdline.read_bytes():
            return pid
    return None
