"""``/config``: feature flags, the rate table and the aesthetic grade catalog."""

from __future__ import annotations

from fastapi import APIRouter

from api.auth import CharacterRead
from api.config.schemas import AestheticGradeList, FeatureFlags, Pricing, Rate
from api.deps import SettingsDep
from core.features import feature_flags
from domain.aesthetic_grades import AESTHETIC_GRADES
from domain.pricing import CURRENCY, RATES, UNITS

router = APIRouter(prefix="/config", tags=["config"])


@router.get("/features", response_model=FeatureFlags, summary="Feature-flag map for this environment")
async def get_features(principal: CharacterRead, settings: SettingsDep) -> FeatureFlags:
    return FeatureFlags(features=feature_flags(settings))


@router.get("/pricing", response_model=Pricing, summary="Rate table for image, video and per-action pricing")
async def get_pricing(principal: CharacterRead) -> Pricing:
    return Pricing(
        currency=CURRENCY,
        rates=[Rate(action=action.value, unit=UNITS[action], price=price) for action, price in RATES.items()],
    )


@router.get("/aesthetic-grades", response_model=AestheticGradeList, summary="Catalog of the 10 aesthetic grade presets")
async def get_aesthetic_grades(principal: CharacterRead) -> AestheticGradeList:
    return AestheticGradeList(data=list(AESTHETIC_GRADES))
