"""Temporal connection through the SDK's environment configuration with our settings on top: profiles,
TEMPORAL_* variables, API keys and mutual TLS, and a real mTLS connection to a real Temporal server."""

from __future__ import annotations

from pathlib import Path

import pytest
from temporalio.api.workflowservice.v1 import GetSystemInfoRequest
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.service import TLSConfig
from temporalio.testing import WorkflowEnvironment

from core.settings import Settings
from core.temporal import connect
from core.temporal_connection import connect_config, described_target
from tests.conftest import temporal_address
from tests.utils.tls import make_certificates, mutual_tls_proxy

PROFILE_FILE = """
[profile.default]
address = "default.example:7233"

[profile.cloud]
address = "my-ns.a1b2c.tmprl.cloud:7233"
namespace = "my-ns.a1b2c"
api_key = "cloud-key"
"""


def test_defaults_reach_the_local_dev_server_without_tls() -> None:
    assert connect_config(Settings(), environ={}) == {"target_host": "127.0.0.1:7233", "namespace": "default"}


def test_temporal_variables_are_read_when_our_settings_are_not_given() -> None:
    config = connect_config(
        Settings(), environ={"TEMPORAL_ADDRESS": "temporal.internal:7233", "TEMPORAL_NAMESPACE": "prod"}
    )
    assert config["target_host"] == "temporal.internal:7233"
    assert config["namespace"] == "prod"


def test_our_explicit_settings_win_over_temporal_variables() -> None:
    settings = Settings(temporal_address="10.0.0.5:7233", temporal_namespace="ours")
    config = connect_config(settings, environ={"TEMPORAL_ADDRESS": "elsewhere:7233", "TEMPORAL_NAMESPACE": "theirs"})
    assert (config["target_host"], config["namespace"]) == ("10.0.0.5:7233", "ours")


def test_a_cloud_profile_brings_address_namespace_api_key_and_tls(tmp_path: Path) -> None:
    (tmp_path / "temporal.toml").write_text(PROFILE_FILE)
    environ = {"TEMPORAL_CONFIG_FILE": str(tmp_path / "temporal.toml")}
    config = connect_config(Settings(temporal_profile="cloud"), environ=environ)
    assert config == {
        "target_host": "my-ns.a1b2c.tmprl.cloud:7233",
        "namespace": "my-ns.a1b2c",
        "api_key": "cloud-key",
        "tls": True,
    }
    assert "cloud-key" not in described_target(config)
    assert described_target(config) == "my-ns.a1b2c.tmprl.cloud:7233 namespace=my-ns.a1b2c api-key"
    # Without a profile name, the file's default profile is used.
    assert connect_config(Settings(), environ=environ)["target_host"] == "default.example:7233"


def test_our_api_key_setting_turns_tls_on_and_tls_false_turns_it_off() -> None:
    with_key = connect_config(Settings(temporal_api_key="k1"), environ={})
    assert (with_key["api_key"], with_key["tls"]) == ("k1", True)
    forced_off = connect_config(Settings(temporal_api_key="k1", temporal_tls=False), environ={})
    assert forced_off["tls"] is False


def test_certificate_paths_become_a_tls_config_with_their_contents(tmp_path: Path) -> None:
    certs = make_certificates(tmp_path)
    settings = Settings(
        temporal_tls_server_ca_cert_path=certs.ca,
        temporal_tls_client_cert_path=certs.client_cert,
        temporal_tls_client_key_path=certs.client_key,
        temporal_tls_server_name="localhost",
    )
    tls = connect_config(settings, environ={})["tls"]
    assert isinstance(tls, TLSConfig)
    assert tls.server_root_ca_cert == certs.ca.read_bytes()
    assert tls.client_cert == certs.client_cert.read_bytes()
    assert tls.client_private_key == certs.client_key.read_bytes()
    assert tls.domain == "localhost"


async def test_mutual_tls_connection_to_a_real_temporal_server(
    temporal_env: WorkflowEnvironment, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    certs = make_certificates(tmp_path)
    async with mutual_tls_proxy(certs, temporal_address(temporal_env)) as proxy:
        # The address comes from the SDK's own variable, the certificates from our settings.
        monkeypatch.setenv("TEMPORAL_ADDRESS", proxy.address)
        settings = Settings(
            temporal_tls_server_ca_cert_path=certs.ca,
            temporal_tls_client_cert_path=certs.client_cert,
            temporal_tls_client_key_path=certs.client_key,
            temporal_tls_server_name="localhost",
        )
        client = await connect(settings)
        info = await client.workflow_service.get_system_info(GetSystemInfoRequest())
        assert info.server_version
        assert proxy.handshakes >= 1

        # Without the client certificate the proxy refuses the handshake: no connection.
        with pytest.raises(RuntimeError):
            await Client.connect(
                proxy.address,
                tls=TLSConfig(domain="localhost", server_root_ca_cert=certs.ca.read_bytes()),
                data_converter=pydantic_data_converter,
            )
