"""Replays recorded histories against today's workflow code: a change that breaks determinism (reordered
activities, a new timer, a changed child) fails here before it can break running workflows."""

from __future__ import annotations

from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Replayer

from worker import WORKFLOWS

HISTORIES = sorted((Path(__file__).parent / "histories").glob("*.json"))
TEXTS = {path.stem: path.read_text() for path in HISTORIES}


def test_every_workflow_has_a_recorded_history() -> None:
    recorded = {path.stem for path in HISTORIES}
    workflow_modules = {p.stem for p in (Path(__file__).parents[2] / "workflows").glob("*.py")}
    helpers = {"__init__", "options", "job_steps"}
    assert workflow_modules - helpers <= recorded, f"record a history for {workflow_modules - helpers - recorded}"


@pytest.mark.parametrize("path", HISTORIES, ids=[p.stem for p in HISTORIES])
async def test_history_replays_deterministically(path: Path) -> None:
    history = WorkflowHistory.from_json(path.stem, TEXTS[path.stem])
    replayer = Replayer(workflows=list(WORKFLOWS), data_converter=pydantic_data_converter)
    result = await replayer.replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is None, f"{path.stem}: {result.replay_failure}"
