"""What the API does once when it starts, beyond opening its connections."""

from __future__ import annotations

import gc

from api.app import create_app
from tests.utils.stack import Stack


async def test_start_up_objects_are_frozen_out_of_the_collectors_way(stack: Stack) -> None:
    """Full collections under load were the API's p99: the objects made at start-up live as long as the process,
    so the lifespan moves them out of the collector's generations."""
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    app = create_app(stack.settings)
    async with app.router.lifespan_context(app):
        assert gc.get_freeze_count() > 10_000
