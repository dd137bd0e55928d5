"""One module per resource; ``api.main`` mounts them all under ``/api/v1``."""
