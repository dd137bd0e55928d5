"""How we reach Temporal: the SDK's environment configuration (a ``temporal.toml`` profile and the
``TEMPORAL_*`` variables, as every Temporal tool reads them) with our ``AUTOPERSONAS_TEMPORAL_*``
settings laid over it. So the same process can point at the dev server, a self-hosted cluster with
mTLS or Temporal Cloud with an API key, and an operator's usual Temporal set-up just works."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from temporalio.envconfig import ClientConfigProfile, ClientConfigTLS, ClientConnectConfig

from core.settings import Settings

# Our setting → the field of the SDK's TLS profile it fills.
_TLS_PATHS = {
    "temporal_tls_server_ca_cert_path": "server_root_ca_cert",
    "temporal_tls_client_cert_path": "client_cert",
    "temporal_tls_client_key_path": "client_private_key",
}


def connect_config(settings: Settings, environ: Mapping[str, str] | None = None) -> ClientConnectConfig:
    """Keyword arguments for ``Client.connect``: the SDK's profile, then our explicit settings on top.
    Our defaults (the local dev server) fill in only what the profile leaves empty."""
    profile = ClientConfigProfile.load(
        settings.temporal_profile, override_env_vars=dict(os.environ if environ is None else environ)
    )
    explicit = settings.model_fields_set
    changes: dict[str, Any] = {"tls": _tls(settings, profile.tls)}
    if "temporal_address" in explicit or not profile.address:
        changes["address"] = settings.temporal_address
    if "temporal_namespace" in explicit or profile.namespace is None:
        changes["namespace"] = settings.temporal_namespace
    if settings.temporal_api_key is not None:
        changes["api_key"] = settings.temporal_api_key.get_secret_value()
    return replace(profile, **changes).to_client_connect_config()


def _tls(settings: Settings, tls: ClientConfigTLS | None) -> ClientConfigTLS | None:
    if settings.temporal_tls is False:
        return ClientConfigTLS(disabled=True)
    changes: dict[str, Any] = {
        field: value for name, field in _TLS_PATHS.items() if (value := getattr(settings, name)) is not None
    }
    if settings.temporal_tls_server_name is not None:
        changes["server_name"] = settings.temporal_tls_server_name
    if not changes and settings.temporal_tls is None:
        return tls  # nothing of ours: the profile decides (an API key alone turns TLS on there)
    return replace(tls or ClientConfigTLS(), disabled=False, **changes)


def described_target(config: ClientConnectConfig) -> str:
    """For logs: where we connect and how, never the key or certificate contents."""
    tls = config.get("tls")
    mode = "api-key" if config.get("api_key") else ("tls" if tls not in (None, False) else "plaintext")
    return f"{config.get('target_host')} namespace={config.get('namespace')} {mode}"


__all__ = ["connect_config", "described_target"]
