"""A collaboration batch committed but never started (a crash between commit and start) is started from its
row by the stranded-work reconciler, with every member: its batch row names no single influencer, its
params carry them."""

from __future__ import annotations

from datetime import timedelta

import httpx

from contracts.generation import CollaborationSpec, batch_workflow_id
from core.ids import new_id
from domain.batches import BatchKind, BatchStatus
from store.db import transaction
from store.models import Batch, Collaboration, CollaborationMember
from store.repositories.batches import BatchRepository
from store.repositories.collaborations import CollaborationRepository
from store.types import utcnow
from tests.utils.factories import Tenant, create_influencer, create_profile
from tests.utils.polling import wait_for_batch
from tests.utils.stack import Stack
from tests.workflows.test_maintenance import reconcile


async def test_stranded_collaboration_batch_restarts_with_every_member(
    http: httpx.AsyncClient, stack: Stack, tenant: Tenant
) -> None:
    members = [await create_influencer(http, tenant, name=name) for name in ("Ana", "Ben", "Cleo")]
    ids = [m["id"] for m in members]
    profile = await create_profile(http, tenant, ids[0])
    collaboration_id, batch_id = new_id("col"), new_id("bat")
    spec = CollaborationSpec(collaboration_id=collaboration_id, member_ids=ids, scene="a picnic")
    async with transaction(stack.sessions) as session:  # what a crash right after the commit leaves
        await CollaborationRepository(session).add(
            Collaboration(
                id=collaboration_id, account_id=tenant.account_id, name="Trio", profile_id=profile["id"],
                batch_id=batch_id, params={"count": 1},
                members=[CollaborationMember(influencer_id=i, name=m["name"], position=n)
                         for n, (i, m) in enumerate(zip(ids, members, strict=True))],
            )
        )  # fmt: skip
        await BatchRepository(session).add(
            Batch(
                id=batch_id, account_id=tenant.account_id, kind=BatchKind.COLLABORATION, status=BatchStatus.QUEUED,
                total=1, influencer_id=None, profile_id=profile["id"], params=spec.params(),
                workflow_id=batch_workflow_id(batch_id), created_at=utcnow() - timedelta(hours=1),
            )
        )  # fmt: skip
    assert batch_id in (await reconcile(stack)).restarted_batch_ids
    batch = await wait_for_batch(http, tenant, batch_id)
    assert batch["status"] == "completed", batch
    item = (await http.get(f"/api/v1/content/{batch['items'][0]['resultId']}", headers=tenant.headers)).json()
    assert item["influencerIds"] == ids
    assert item["collaborationId"] == collaboration_id
    assert all(name in item["caption"] for name in ("Ana", "Ben", "Cleo"))
    assert "a picnic" in item["plan"]["scene"]
    collaboration = (await http.get(f"/api/v1/collaborations/{collaboration_id}", headers=tenant.headers)).json()
    assert collaboration["contentIds"] == [item["id"]]
