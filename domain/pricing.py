"""The published rate table. Every provider call is charged from it into the usage ledger."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum


class BillableAction(StrEnum):
    IMAGE_GENERATION = "image_generation"
    CAPTION_GENERATION = "caption_generation"
    VIDEO_GENERATION = "video_generation"
    PHOTO_ANALYSIS = "photo_analysis"
    WARDROBE_GENERATION = "wardrobe_generation"
    CONTENT_DIRECTION_DRAFT = "content_direction_draft"
    PUBLISH = "publish"
    SOCIAL_IMPORT = "social_import"


CURRENCY = "USD"

# Dollars per unit. Units: one image, one caption, one video second, one photo, one call, one post.
RATES: dict[BillableAction, Decimal] = {
    BillableAction.IMAGE_GENERATION: Decimal("0.040"),
    BillableAction.CAPTION_GENERATION: Decimal("0.002"),
    BillableAction.VIDEO_GENERATION: Decimal("0.050"),
    BillableAction.PHOTO_ANALYSIS: Decimal("0.010"),
    BillableAction.WARDROBE_GENERATION: Decimal("0.005"),
    BillableAction.CONTENT_DIRECTION_DRAFT: Decimal("0.005"),
    BillableAction.PUBLISH: Decimal("0.000"),
    BillableAction.SOCIAL_IMPORT: Decimal("0.001"),
}

UNITS: dict[BillableAction, str] = {
    BillableAction.IMAGE_GENERATION: "image",
    BillableAction.CAPTION_GENERATION: "caption",
    BillableAction.VIDEO_GENERATION: "second",
    BillableAction.PHOTO_ANALYSIS: "photo",
    BillableAction.WARDROBE_GENERATION: "call",
    BillableAction.CONTENT_DIRECTION_DRAFT: "call",
    BillableAction.PUBLISH: "post",
    BillableAction.SOCIAL_IMPORT: "post",
}
