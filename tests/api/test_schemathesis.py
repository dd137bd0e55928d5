"""Schemathesis over the live stack with every check it has (``--checks all``), on each database: examples,
coverage, fuzzing and stateful phases, over real HTTP. Positive data must be accepted, negative data refused,
405s must name the path's methods, deleted resources must stay gone, and so on.

A failure no schema can prevent (an id that must exist, a rule between two fields, bytes that must decode as an
image) is listed with its reason in ``schemathesis-baseline.json`` beside this file; a new failure, or one not
in the list, fails the test. After a fix, ``SCHEMATHESIS_BASELINE=prune``
drops the entries the run no longer reproduces (``update`` would add new ones: review every one by hand)."""

from __future__ import annotations

import asyncio
import json
import os
import re
import sys
from pathlib import Path

import httpx
import pytest
from schemathesis.checks import CHECKS, load_all_checks

from tests.api.test_influencers import png_bytes
from tests.utils.factories import Tenant, connect_sandbox, create_influencer, create_profile
from tests.utils.stack import Stack

BASELINE = Path(__file__).with_name("schemathesis-baseline.json")
# Enough for the coverage phase to try every boundary and for fuzzing to find the usual suspects, while one
# database stays within a few minutes on a loaded two-core machine.
MAX_EXAMPLES = 10
# Reference images and voice samples by URL make the server fetch the URL it is given: fuzzed, that is a fetch
# of arbitrary internet hosts. Their refusals are pinned by tests/api/test_reference_url_ssrf.py.
EXCLUDED_PATHS = r"^/api/v1/(influencers/\{influencer_id\}/references|characters/\{character_id\}/voice-samples)$"


def all_checks() -> list[str]:
    """Every check this Schemathesis registers, by name; none is left out."""
    load_all_checks()
    return [check.__name__ for check in CHECKS.get_all()]


async def run_schemathesis(base_url: str, headers: dict[str, str], workdir: Path) -> tuple[int, str]:
    """Run ``st run``; its JSON report goes to ``workdir / "report.json"``, and its cache stays in ``workdir``."""
    command = [
        str(Path(sys.executable).with_name("st")),
        "run",
        f"{base_url}/openapi.json",
        "--checks",
        ",".join(all_checks()),
        "--max-examples",
        str(MAX_EXAMPLES),
        "--seed",
        "1",
        "--workers",
        "1",
        "--exclude-path-regex",
        EXCLUDED_PATHS,
        "--baseline",
        str(BASELINE),
        "--report",
        "json",
        "--report-json-path",
        str(workdir / "report.json"),
        "--request-timeout",
        "30",
        "--no-color",
    ]
    maintenance = os.environ.get("SCHEMATHESIS_BASELINE")
    if maintenance in ("prune", "update"):
        command.append(f"--baseline-{maintenance}")
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    process = await asyncio.create_subprocess_exec(
        *command, cwd=workdir, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    output, _ = await process.communicate()
    assert process.returncode is not None
    return process.returncode, output.decode(errors="replace")


# About a hundred operations through four phases over real HTTP: minutes, not the suite's default 300 s.
@pytest.mark.timeout(1500)
async def test_every_operation_conforms_to_its_schema(
    stack: Stack, http: httpx.AsyncClient, tenant: Tenant, tmp_path: Path
) -> None:
    # Real resources, so list and read operations have something to show and link to.
    influencer = await create_influencer(http, tenant)
    profile = await create_profile(http, tenant, influencer["id"])
    await connect_sandbox(http, tenant, profile["id"])

    code, output = await run_schemathesis(stack.base_url, tenant.headers, tmp_path)
    (tmp_path / "output.txt").write_text(output)
    report = json.loads((tmp_path / "report.json").read_text())
    operations, cases = report["operations"], report["test_cases"]
    print(
        f"schemathesis: {operations['tested']} operations, {cases['generated']} calls, "
        f"{report['baseline']['known']} known failures, {report['running_time']:.0f} s"
    )
    assert code == 0, output[output.find("= FAILURES =") :][:20000]
    # The run really covered the API: every selected operation, through all four phases.
    assert report["complete"] and operations["tested"] == operations["selected"] >= 95, operations
    assert {name: phase["status"] for name, phase in report["phases"].items() if phase["status"] == "skip"} == {}
    assert cases["generated"] >= 2000, cases


class TestFuzzFindingsPinned:
    """Inputs the fuzzer found, pinned so they are checked on every run whatever the generator draws."""

    async def test_empty_profile_id_on_connect_is_refused_not_500(
        self, http: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        body = {"platform": "sandbox", "handle": "mia", "profileId": ""}
        response = await http.post("/api/v1/accounts", json=body, headers=tenant.headers)
        assert response.status_code == 422, response.text
        assert [d["field"] for d in response.json()["error"]["details"]] == ["profileId"]

    async def test_body_that_is_not_utf8_gets_a_documented_status(
        self, http: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        schema = (await http.get("/openapi.json")).json()
        documented = schema["paths"]["/api/v1/influencers"]["post"]["responses"]
        headers = {**tenant.headers, "Content-Type": "application/json"}
        response = await http.post("/api/v1/influencers", content=b"\xff", headers=headers)
        assert 400 <= response.status_code < 500, response.text
        assert str(response.status_code) in documented, (response.status_code, sorted(documented))
        assert isinstance(response.json()["error"]["code"], str)

    async def test_usage_day_given_as_a_number_is_refused(self, http: httpx.AsyncClient, tenant: Tenant) -> None:
        # Lax date parsing read 0 as 1970-01-01, though the schema says format: date.
        response = await http.get("/api/v1/usage", params={"to": "0"}, headers=tenant.headers)
        assert response.status_code == 422, response.text
        assert [d["field"] for d in response.json()["error"]["details"]] == ["to"]
        fine = await http.get("/api/v1/usage", params={"to": "2026-03-01"}, headers=tenant.headers)
        assert fine.status_code == 200, fine.text

    async def test_any_cursor_of_the_published_shape_is_a_position(
        self, http: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        schema = (await http.get("/openapi.json")).json()
        parameters = schema["paths"]["/api/v1/influencers"]["get"]["parameters"]
        cursor = next(p for p in parameters if p["name"] == "cursor")
        pattern = cursor["schema"]["anyOf"][0]["pattern"]
        assert re.fullmatch(pattern, "0~0")
        # Far in the future and naming no row: the page simply starts there, with everything older.
        influencer = await create_influencer(http, tenant)
        response = await http.get(
            "/api/v1/influencers", params={"cursor": "9999999999999999~zzz"}, headers=tenant.headers
        )
        assert response.status_code == 200, response.text
        assert influencer["id"] in [item["id"] for item in response.json()["data"]]
        refused = await http.get("/api/v1/influencers", params={"cursor": "0000"}, headers=tenant.headers)
        assert refused.status_code == 422, refused.text
        assert [d["field"] for d in refused.json()["error"]["details"]] == ["cursor"]

    async def test_number_for_a_boolean_is_refused(self, http: httpx.AsyncClient, tenant: Tenant) -> None:
        # Lax parsing took {"save": 0} as false; the schema says boolean.
        influencer = await create_influencer(http, tenant)
        profile = await create_profile(http, tenant, influencer["id"])
        response = await http.post(
            f"/api/v1/profiles/{profile['id']}/content-directions/draft",
            json={"prompt": "city mornings", "save": 0},
            headers=tenant.headers,
        )
        assert response.status_code == 422, response.text
        assert [d["field"] for d in response.json()["error"]["details"]] == ["save"]

    @pytest.mark.parametrize("times", ["5", True], ids=["text", "boolean"])
    async def test_text_or_boolean_for_a_number_is_refused(
        self, http: httpx.AsyncClient, tenant: Tenant, times: object
    ) -> None:
        # Lax parsing took {"times": "5"} as 5 (found by the fuzzing phase); the schema says integer.
        influencer = await create_influencer(http, tenant)
        account = await connect_sandbox(http, tenant, (await create_profile(http, tenant, influencer["id"]))["id"])
        path = f"/api/v1/accounts/{account['id']}/sandbox-faults"
        response = await http.put(path, json={"mode": "transient", "times": times}, headers=tenant.headers)
        assert response.status_code == 422, response.text
        assert [d["field"] for d in response.json()["error"]["details"]] == ["times"]
        accepted = await http.put(path, json={"mode": "transient", "times": 5}, headers=tenant.headers)
        assert accepted.status_code == 200, accepted.text

    async def test_more_hashtag_values_than_documented_are_refused(
        self, http: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        # Empty values were dropped before counting, so 31 of them passed a maxItems of 30.
        influencer = await create_influencer(http, tenant)
        profile = await create_profile(http, tenant, influencer["id"])
        response = await http.post(
            "/api/v1/content",
            files={"file": ("p.png", png_bytes((1, 2, 3)), "image/png")},
            data={"caption": "hello", "profileId": profile["id"], "hashtags": [""] * 31},
            headers=tenant.headers,
        )
        assert response.status_code == 422, response.text
        assert [d["field"] for d in response.json()["error"]["details"]] == ["hashtags"]

    async def test_number_for_a_body_time_is_refused(self, http: httpx.AsyncClient, tenant: Tenant) -> None:
        # Lax parsing took {"postedAt": 0} as the epoch; the schema says format: date-time.
        influencer = await create_influencer(http, tenant)
        profile = await create_profile(http, tenant, influencer["id"])
        url = f"/api/v1/profiles/{profile['id']}/voice-samples"
        response = await http.post(url, json={"samples": [{"text": "hi", "postedAt": 0}]}, headers=tenant.headers)
        assert response.status_code == 422, response.text
        assert [d["field"] for d in response.json()["error"]["details"]] == ["samples.0.postedAt"]
        body = {"samples": [{"text": "hi", "postedAt": "2026-03-01T09:00:00Z"}]}
        fine = await http.post(url, json=body, headers=tenant.headers)
        assert fine.status_code in (200, 201), fine.text

    async def test_nul_in_text_is_a_422_on_the_field(self, http: httpx.AsyncClient, tenant: Tenant) -> None:
        # PostgreSQL text cannot hold NUL: the insert failed with a 500 before the API refused it.
        influencer = await create_influencer(http, tenant)
        profile = await create_profile(http, tenant, influencer["id"])
        url = f"/api/v1/profiles/{profile['id']}/voice-samples"
        response = await http.post(url, json={"samples": [{"text": "a\u0000b"}]}, headers=tenant.headers)
        assert response.status_code == 422, response.text
        assert [d["field"] for d in response.json()["error"]["details"]] == ["samples.0.text"]
        schema = (await http.get("/openapi.json")).json()
        text = schema["components"]["schemas"]["ManualSample"]["properties"]["text"]
        assert not re.fullmatch(text["pattern"], "a\u0000b") and re.fullmatch(text["pattern"], "a b")
