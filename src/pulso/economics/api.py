"""CX economics in the REST API: the figures of the economics page for one horizon."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic import field_validator

from pulso.core.apiutils import require
from pulso.economics.figures import (
    DEFAULT_HORIZON,
    HORIZONS,
    CampaignFigures,
    Economics,
    compute_economics,
)

router = Router(tags=["economics"])
routers: list[tuple[str, Router]] = [("/economics", router)]


class ProportionOut(Schema):
    hits: int
    n: int
    rate: float
    low: float
    high: float


class MeanOut(Schema):
    n: int
    mean: float
    low: float
    high: float


class EconomicsGroupOut(Schema):
    group: str
    customers: int = Field(description="Customers followed for the whole horizon")
    churn: ProportionOut | None
    retention: ProportionOut | None
    repurchase: ProportionOut | None
    revenue: MeanOut | None = Field(description="Revenue per customer over the horizon")


class CurvePointOut(Schema):
    day: float
    retention: float
    low: float
    high: float
    at_risk: int


class CampaignGroupOut(Schema):
    group: str
    churn: ProportionOut | None


class CampaignOut(Schema):
    campaign: str
    contacted: int
    groups: list[CampaignGroupOut]

    @staticmethod
    def resolve_groups(obj: CampaignFigures) -> list[dict[str, Any]]:
        return [{"group": group, "churn": churn} for group, churn in obj.groups]


class RiskOut(Schema):
    current_detractors: int
    detractor_churn: float
    revenue_per_customer: float
    revenue_at_risk: float
    promoter_revenue: float
    detractor_revenue: float
    value_per_conversion: float
    value_of_all_conversions: float


class EconomicsOut(Schema):
    as_of: dt.datetime
    horizon: int
    baselines: int = Field(description="Customers with an NPS answer")
    groups: list[EconomicsGroupOut]
    overall: EconomicsGroupOut
    ces_bands: list[EconomicsGroupOut]
    curves: dict[str, list[CurvePointOut]] = Field(description="Kaplan–Meier, by NPS group")
    campaigns: list[CampaignOut]
    risk: RiskOut | None


class EconomicsQuery(Schema):
    days: int = Field(
        DEFAULT_HORIZON,
        description="Horizon: days followed after the answer",
        json_schema_extra={"enum": list(HORIZONS)},
    )

    @field_validator("days")
    @classmethod
    def _offered(cls, value: int) -> int:
        if value not in HORIZONS:
            raise ValueError(f"must be one of {', '.join(map(str, HORIZONS))}")
        return value


@router.get("/", response=EconomicsOut)
def get_economics(request: HttpRequest, query: Query[EconomicsQuery]) -> Economics:
    """Churn, retention, repurchase and revenue per NPS group (and CES band) with 95 %
    intervals, retention curves, churn after campaigns and revenue at risk."""
    require(request, "economics.view_economics")
    return compute_economics(query.days)
