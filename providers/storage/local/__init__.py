"""The embedded media storage: a local directory served by the API."""
