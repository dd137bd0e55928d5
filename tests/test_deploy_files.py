"""The Dockerfile and compose.yaml cannot be run here (no container runtime), so what can be checked
without one is checked: every command they run is the CLI the tests run, every setting they pass exists,
the image copies every package of the project and runs as a non-root user."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from cli.main import app
from core.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
COMPOSE: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text())
DOCKERFILE = (ROOT / "Dockerfile").read_text()
OUR_SERVICES = {name: spec for name, spec in COMPOSE["services"].items() if spec.get("image") == "autopersonas:latest"}


def test_compose_has_the_production_topology() -> None:
    services = COMPOSE["services"]
    assert {"postgres", "redis", "minio", "temporal", "temporal-ui", "api", "worker", "migrate"} <= set(services)
    assert services["api"]["deploy"]["replicas"] == 2
    assert services["worker"]["deploy"]["replicas"] == 2
    assert services["temporal"]["environment"]["DB"].startswith("postgres")


@pytest.mark.parametrize("service", sorted(OUR_SERVICES))
def test_each_service_runs_a_real_cli_command(service: str) -> None:
    command = OUR_SERVICES[service]["command"]
    result = CliRunner().invoke(app, [*command, "--help"])
    assert result.exit_code == 0, f"{service}: {command}: {result.output}"


def test_every_setting_compose_passes_exists() -> None:
    environment = COMPOSE["x-app-environment"]
    fields = set(Settings.model_fields)
    names = [key.removeprefix("AUTOPERSONAS_").lower() for key in environment]
    assert names and all(key.startswith("AUTOPERSONAS_") for key in environment)
    assert [name for name in names if name not in fields] == []


def test_image_is_multi_stage_non_root_and_copies_every_package() -> None:
    stages = re.findall(r"^FROM\s+\S+\s+AS\s+(\w+)", DOCKERFILE, flags=re.MULTILINE)
    assert stages == ["build", "runtime"]
    users = re.findall(r"^USER\s+(\S+)", DOCKERFILE, flags=re.MULTILINE)
    assert users and users[-1] not in ("root", "0")
    assert 'ENTRYPOINT ["autopersonas"]' in DOCKERFILE
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    packages = [pattern.rstrip("*") for pattern in pyproject["tool"]["setuptools"]["packages"]["find"]["include"]]
    copied = set(re.findall(r"^COPY\s+(\w+)\s+\./\1", DOCKERFILE, flags=re.MULTILINE))
    assert sorted(set(packages) - copied) == []
    assert "worker.py" in DOCKERFILE
