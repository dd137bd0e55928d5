"""Config responses: features, pricing and the aesthetic grade catalog."""

from __future__ import annotations

from decimal import Decimal

from core.wire import Schema
from domain.aesthetic_grades import AestheticGrade


class FeatureFlags(Schema):
    features: dict[str, bool]


class Rate(Schema):
    action: str
    unit: str
    price: Decimal


class Pricing(Schema):
    currency: str
    rates: list[Rate]


class AestheticGradeList(Schema):
    data: list[AestheticGrade]
