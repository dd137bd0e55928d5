"""Temporal workflows, one per module: deterministic orchestration only (no I/O, clock or randomness)."""
