"""What each dashboard shows, computed from a filter and a user (views and API share it)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from pulso.accounts.models import OrgUnit
from pulso.core.access import AnyUser
from pulso.journeys.models import Journey, Touchpoint
from pulso.metrics import metrics, queries, responses
from pulso.metrics.filters import MetricFilter
from pulso.metrics.metrics import MetricValue, Scorecard, Totals
from pulso.metrics.targets import target_for
from pulso.surveys.models import Survey

CUSTOMER, EMPLOYEE = Survey.Audience.CUSTOMER, Survey.Audience.EMPLOYEE


@dataclass
class Cut:
    """One row of a breakdown (a touchpoint, an org unit, a stage) with its metrics."""

    label: str
    obj: Any
    totals: Totals
    nps: MetricValue
    csat: MetricValue
    ces: MetricValue
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "id": getattr(self.obj, "pk", None),
            "responses": self.totals.n,
            "nps": self.nps.as_dict(),
            "csat": self.csat.as_dict(),
            "ces": self.ces.as_dict(),
            **self.extra,
        }


def make_cut(label: str, obj: Any, now: Totals, before: Totals | None = None) -> Cut:
    return Cut(
        label,
        obj,
        now,
        metrics.nps(now, before),
        metrics.csat(now, before),
        metrics.ces(now, before),
    )


def _by_audience(rows: dict[queries.Key, Totals], position: int = 0) -> dict[str, Totals]:
    result: dict[str, Totals] = {CUSTOMER: Totals(), EMPLOYEE: Totals()}
    for key, totals in rows.items():
        result[key[position]] = result.get(key[position], Totals()) + totals
    return result


def scorecard(f: MetricFilter, user: AnyUser) -> Scorecard:
    """Headline metrics of the filter vs the previous period, with targets and rates."""
    now = _by_audience(queries.totals_by(f, user, ("audience",), audience=False))
    before = _by_audience(
        queries.totals_by(f, user, ("audience",), span=f.previous, audience=False)
    )
    return finish_scorecard(f, user, now, before)


def finish_scorecard(
    f: MetricFilter, user: AnyUser, now: dict[str, Totals], before: dict[str, Totals]
) -> Scorecard:
    main = f.audience
    card = metrics.scorecard(now[main], before[main], now[EMPLOYEE], before[EMPLOYEE])
    if main == EMPLOYEE:
        card.nps = replace(card.nps, key="enps")
    for name in ("nps", "csat", "ces", "enps"):
        metric = getattr(card, name)
        target = target_for(metric.key, f.journey, f.touchpoint, f.unit)
        setattr(card, name, metrics.with_target(metric, target))
    invitations = responses.invitation_counts(f, user)
    card.extra = {
        "negative_comments": metrics.negative_share(now[main].negative, now[main].analysed),
        "analysed_comments": now[main].analysed,
        "response_rate": metrics.response_rate(invitations["answered"], invitations["delivered"]),
        "invitations_delivered": invitations["delivered"],
        "comments": now[main].comments,
        **previous_coverage(f),
    }
    return card


def previous_coverage(f: MetricFilter) -> dict[str, Any]:
    """Whether the comparison period starts before the first feedback Pulso holds."""
    first = responses.first_data_day()
    return {
        "first_data": first.isoformat() if first else None,
        "previous_before_data": first is not None and f.previous[0] < first,
    }


def trend_rows(series: dict[date, Totals], f: MetricFilter) -> list[dict[str, Any]]:
    """One row per period bucket (gaps included, with None), for charts and the API."""
    rows = []
    for start in queries.buckets(f):
        totals = series.get(start, Totals())
        nps = metrics.nps(totals)
        rows.append(
            {
                "period": start.isoformat(),
                "n": totals.n,
                "nps": _r(nps.value),
                "margin": _r(nps.margin),
                "low": _r(nps.value - nps.margin)
                if nps.value is not None and nps.margin is not None
                else None,
                "high": _r(nps.value + nps.margin)
                if nps.value is not None and nps.margin is not None
                else None,
                "low_base": nps.low_base,
                "csat": _r(metrics.csat(totals).value),
                "ces": _r(metrics.ces(totals).value),
            }
        )
    return rows


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


@dataclass
class Overview:
    card: Scorecard
    trend: list[dict[str, Any]]
    movers: list[Cut]
    comments: list[Any]


def overview(f: MetricFilter, user: AnyUser) -> Overview:
    """Headline, trend, the touchpoints that moved most, latest comments — in 4 aggregate reads."""
    now = queries.totals_by(f, user, ("audience", "touchpoint_id"), by=f.by, audience=False)
    before = queries.totals_by(
        f, user, ("audience", "touchpoint_id"), span=f.previous, audience=False
    )
    card = finish_scorecard(f, user, _by_audience(now), _by_audience(before))
    series: dict[date, Totals] = {}
    per_tp_now: dict[int, Totals] = {}
    for (audience, tp, bucket), totals in now.items():
        if audience == f.audience:
            series[bucket] = series.get(bucket, Totals()) + totals
            per_tp_now[tp] = per_tp_now.get(tp, Totals()) + totals
    per_tp_before = {k[1]: t for k, t in before.items() if k[0] == f.audience}
    return Overview(
        card,
        trend_rows(series, f),
        movers(per_tp_now, per_tp_before),
        responses.latest_comments(f, user),
    )


def movers(now: dict[int, Totals], before: dict[int, Totals], limit: int = 5) -> list[Cut]:
    """Touchpoints whose NPS changed most vs the previous period (both periods with at least
    the low base: a change from a handful of answers is noise, not a mover)."""
    names = Touchpoint.objects.in_bulk(list(now))
    cuts = [
        make_cut(str(names[tp]), names[tp], totals, before[tp])
        for tp, totals in now.items()
        if tp in names and tp in before
    ]
    cuts = [c for c in cuts if c.nps.change is not None and c.nps.change_tested]
    cuts.sort(key=lambda c: abs(c.nps.change.delta), reverse=True)  # type: ignore[union-attr]
    return cuts[:limit]


@dataclass
class JourneyView:
    journey: Journey
    stages: list[dict[str, Any]]
    heatmap: list[dict[str, Any]]
    curve: list[dict[str, Any]]


def journey_view(journey: Journey, f: MetricFilter, user: AnyUser) -> JourneyView:
    """Each touchpoint's score, change and trend, grouped by stage, plus the experience curve."""
    f = replace(f, journey=journey)
    now = queries.totals_by(f, user, ("touchpoint_id",), by=f.by)
    before = queries.totals_by(f, user, ("touchpoint_id",), span=f.previous)
    current: dict[int, Totals] = {}
    heat_rows = []
    names = {tp.pk: tp for stage in journey.stages.all() for tp in stage.touchpoints.all()}
    for (tp, bucket), totals in sorted(now.items(), key=lambda item: item[0][1]):
        current[tp] = current.get(tp, Totals()) + totals
        if tp in names:
            nps = metrics.nps(totals)
            heat_rows.append(
                {
                    "touchpoint": names[tp].name,
                    "period": bucket.isoformat(),
                    "nps": _r(nps.value),
                    "n": totals.n,
                }
            )
    stages, curve = [], []
    for order, stage in enumerate(journey.stages.all()):
        cuts = [
            make_cut(tp.name, tp, current.get(tp.pk, Totals()), before.get((tp.pk,)))
            for tp in stage.touchpoints.all()
        ]
        stage_totals = Totals.sum(c.totals for c in cuts)
        stage_nps = metrics.nps(stage_totals)
        stages.append({"stage": stage, "touchpoints": cuts, "nps": stage_nps})
        if stage_nps.value is not None:
            curve.append(
                {
                    "order": order,
                    "stage": stage.name,
                    "nps": _r(stage_nps.value),
                    "n": stage_totals.n,
                }
            )
    return JourneyView(journey, stages, heat_rows, curve)


def breakdown(
    f: MetricFilter, user: AnyUser, field_name: str, objects: dict[int, Any]
) -> list[Cut]:
    """Metrics per touchpoint / org unit (``field_name``) vs the previous period."""
    now = queries.totals_by(f, user, (field_name,))
    before = queries.totals_by(f, user, (field_name,), span=f.previous)
    cuts = [
        make_cut(str(objects[key[0]]), objects[key[0]], totals, before.get(key))
        for key, totals in now.items()
        if key[0] in objects
    ]
    return sorted(cuts, key=_nps_order)


def _nps_order(cut: Cut) -> tuple[bool, float]:
    return (cut.nps.value is None, -(cut.nps.value or 0))


def league(f: MetricFilter, user: AnyUser, kind: str = OrgUnit.Kind.STORE) -> list[Cut]:
    """Org units of one kind with their whole subtree rolled up, best NPS first."""
    units = list(OrgUnit.objects.visible_to(user).filter(kind=kind, is_active=True))
    now = queries.totals_by(f, user, ("org_unit_id",))
    before = queries.totals_by(f, user, ("org_unit_id",), span=f.previous)
    paths = dict(
        OrgUnit.objects.filter(pk__in=[k[0] for k in [*now, *before] if k[0]]).values_list(
            "pk", "path"
        )
    )
    cuts = [
        make_cut(unit.name, unit, _rolled_up(unit, now, paths), _rolled_up(unit, before, paths))
        for unit in units
    ]
    ranked = sorted(cuts, key=_nps_order)
    position = 0
    for cut in ranked:
        if cut.nps.has_data and not cut.nps.low_base:
            position += 1
            cut.extra["rank"] = position
        else:
            cut.extra["rank"] = None
    return ranked


def _rolled_up(unit: OrgUnit, rows: dict[queries.Key, Totals], paths: dict[int, str]) -> Totals:
    return Totals.sum(
        t for (pk,), t in rows.items() if pk and paths.get(pk, "").startswith(unit.path)
    )


def league_row(cut: Cut) -> dict[str, Any]:
    """A league table row for the chart: NPS with its margin-of-error interval."""
    value, margin = cut.nps.value or 0.0, cut.nps.margin or 0.0
    return {
        "unit": cut.label,
        "nps": _r(value),
        "low": _r(value - margin),
        "high": _r(value + margin),
        "n": cut.nps.n,
        "low_base": cut.nps.low_base,
    }
