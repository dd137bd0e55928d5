"""The embedded sandbox social platform: its own small HTTP API, mounted by the API when
``AUTOPERSONAS_SANDBOX_ENABLED`` is true, so publishing works offline end to end."""
