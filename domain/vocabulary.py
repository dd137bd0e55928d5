"""Words every layer shares: the views of a character, the times of day, wardrobe categories. Defined
here once; the API schemas, contracts, providers and planning all import them."""

from __future__ import annotations

from typing import Literal

View = Literal["front", "three_quarter", "profile", "back"]
# Also the order of a reference pack: position n shows VIEWS[n % 4].
VIEWS: tuple[View, ...] = ("front", "three_quarter", "profile", "back")

TimeOfDay = Literal["morning", "afternoon", "evening", "night"]
TIMES_OF_DAY: tuple[TimeOfDay, ...] = ("morning", "afternoon", "evening", "night")

WardrobeCategory = Literal["top", "bottom", "dress", "outerwear", "shoes", "accessory"]
