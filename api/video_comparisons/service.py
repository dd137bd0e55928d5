"""Starting a comparison (the comparison and its variant rows first, then the workflow), reading them, and
making a finished variant the item's video."""

from __future__ import annotations

import itertools
import re

from sqlalchemy.ext.asyncio import AsyncSession

from api.starter import StartFailure, WorkflowLaunch, WorkflowStarter
from api.video_comparisons.schemas import VideoComparisonBody
from contracts.search import search_attributes
from contracts.video import VIDEO_COMPARISON_WORKFLOW, VideoComparisonInput, VideoParams, video_comparison_workflow_id
from core.errors import Conflict, NotFound, ValidationFailed
from core.ids import new_id
from domain.content import ContentAction, check_transition
from domain.video import MOTIONS, PACES, VARIANT_LABELS, ComparisonStatus, VariantStatus, VariedField
from store.models import ContentItem, VideoComparison, VideoVariant
from store.pagination import Page
from store.repositories.content import ContentRepository
from store.repositories.video import VideoComparisonRepository

_HOOK_MAX = 120


def _rotated(values: tuple[str, ...], first: str) -> list[str]:
    start = values.index(first)
    return [*values[start:], *values[:start]]


def _hook_candidates(base: str | None, caption: str) -> list[str | None]:
    """The given hook, the caption's first sentence, and none: as many distinct hooks as we can honestly make."""
    sentence = re.split(r"(?<=[.!?])\s+", caption.strip(), maxsplit=1)[0][:_HOOK_MAX].strip() or None
    return list(dict.fromkeys([base, sentence, None]))


def variant_params(base: VideoParams, vary: list[VariedField], count: int, caption: str) -> list[VideoParams]:
    """``count`` distinct parameter sets: variant A is ``base``, the others step through the varied fields'
    values like the digits of a counter (first field fastest). 422 when the fields cannot make enough."""
    choices: dict[VariedField, list[object]] = {
        "motion": list(_rotated(MOTIONS, base.motion)),
        "pace": list(_rotated(PACES, base.pace)),
        "hookText": list(_hook_candidates(base.hook_text, caption)),
        "captionOverlay": [base.caption_overlay, not base.caption_overlay],
    }
    fields = {"motion": "motion", "pace": "pace", "hookText": "hook_text", "captionOverlay": "caption_overlay"}
    axes = [choices[name] for name in vary]
    combinations = list(itertools.islice(_counter(axes), count))
    if len(combinations) < count:
        raise ValidationFailed(
            f"varying {', '.join(vary)} makes only {len(combinations)} distinct variants; vary more fields",
            details=[{"field": "vary", "message": f"{len(combinations)} distinct variants at most"}],
        )
    return [
        base.model_copy(update={fields[name]: value for name, value in zip(vary, combo, strict=True)})
        for combo in combinations
    ]


def _counter(axes: list[list[object]]) -> itertools.product[tuple[object, ...]]:
    # product() turns its last axis fastest; reversed twice so the first varied field turns fastest.
    return (tuple(reversed(combo)) for combo in itertools.product(*reversed(axes)))  # type: ignore[return-value]


async def start_comparison(
    starter: WorkflowStarter, item: ContentItem, body: VideoComparisonBody
) -> VideoComparison:
    check_transition(ContentAction.VIDEO, item.status)
    params = variant_params(body.params(), body.vary, body.variants, item.caption)
    comparison_id = new_id("vcmp")
    comparison = VideoComparison(
        id=comparison_id,
        account_id=item.account_id,
        content_id=item.id,
        status=ComparisonStatus.QUEUED.value,
        params={"vary": list(body.vary), "base": body.params().model_dump(mode="json")},
        workflow_id=video_comparison_workflow_id(comparison_id),
        variants=[
            VideoVariant(
                id=new_id("vvar"),
                position=position,
                label=VARIANT_LABELS[position],
                params=variant.model_dump(mode="json"),
                status=VariantStatus.PENDING.value,
            )
            for position, variant in enumerate(params)
        ],
    )
    repo = VideoComparisonRepository(starter.session)
    await repo.add(comparison)

    async def failed(failure: StartFailure) -> None:
        await repo.set_status(comparison, ComparisonStatus.FAILED, error=failure.message)

    handle = await starter.start(
        WorkflowLaunch(
            workflow=VIDEO_COMPARISON_WORKFLOW,
            input=VideoComparisonInput(
                comparison_id=comparison_id,
                account_id=item.account_id,
                content_id=item.id,
                heartbeat_timeout_seconds=starter.settings.heartbeat_timeout_seconds,
            ),
            workflow_id=comparison.workflow_id,
            search_attributes=search_attributes(
                item.account_id, influencer_id=item.influencer_id, profile_id=item.profile_id, content_id=item.id
            ),
            summary=f"Video comparison of {len(params)} variants of {item.id}",
            resource_path=f"/video-comparisons/{comparison_id}",
            on_failure=failed,
        )
    )
    comparison.run_id = handle.result_run_id
    return comparison


async def get_comparison(session: AsyncSession, account_id: str, comparison_id: str) -> VideoComparison:
    return await VideoComparisonRepository(session).get_owned(account_id, comparison_id)


async def list_for_content(
    session: AsyncSession, account_id: str, content_id: str, *, limit: int, cursor: str | None
) -> Page[VideoComparison]:
    await ContentRepository(session).get_owned(account_id, content_id)
    return await VideoComparisonRepository(session).list_for_content(
        account_id, content_id, limit=limit, cursor=cursor
    )


async def select_variant(
    session: AsyncSession, account_id: str, comparison_id: str, variant_id: str
) -> VideoComparison:
    """The variant's video becomes the item's; the comparison remembers which one was picked."""
    comparison = await get_comparison(session, account_id, comparison_id)
    variant = next((v for v in comparison.variants if v.id == variant_id), None)
    if variant is None:
        raise ValidationFailed(
            f"variantId {variant_id} is not a variant of {comparison_id}",
            details=[{"field": "variantId", "message": "not a variant of this comparison"}],
        )
    if variant.status != VariantStatus.COMPLETED or not variant.video:
        raise Conflict(
            f"variant {variant.label} is {variant.status}; only a completed variant can be selected",
            code="invalid_transition",
            details={"variantId": variant.id, "status": variant.status},
        )
    content = ContentRepository(session)
    item = await content.get_for_update(comparison.content_id)
    if item is None or item.account_id != account_id:
        raise NotFound(f"content {comparison.content_id} not found")
    check_transition(ContentAction.SELECT_VIDEO, item.status)
    await content.present_video(item, dict(variant.video))
    comparison.selected_variant_id = variant.id
    await session.flush()
    return comparison
