"""A journey's service blueprint: per touchpoint (columns, grouped by stage) its lanes, from the
customer's action down to the standards, with the touchpoint's scores as the user may see them.
The standards lane lists the audit standards linked to it with how often visits found each met.
Drawn as a Vega-Lite chart for the PDF and SVG exports (vl-convert: text stays text)."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import altair as alt
import vl_convert
from django.db.models import Field, Prefetch
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pulso.audits.models import Visit
from pulso.audits.scores import by_standard
from pulso.core.access import AnyUser
from pulso.design.models import LinkedStandard
from pulso.journeys.models import BLUEPRINT_FIELDS, Journey, Stage, Touchpoint
from pulso.metrics import metrics, queries
from pulso.metrics.filters import MetricFilter, default_range
from pulso.metrics.metrics import MetricValue, Totals

COLUMN_WIDTH = 180
LANE_HEIGHT = 92
WRAP = 30
MAX_LINES = 7
# Service-blueprint lanes: the customer, the line of interaction, the line of visibility…
LANE_COLOURS = ["#E8F1FA", "#E8F1FA", "#FFF4E0", "#F2F2F2", "#F2F2F2", "#F2F2F2", "#F2F2F2"]
SCORES_LANE = gettext_lazy("Scores")
TOUCHPOINT_LANE = gettext_lazy("Touchpoint")


@dataclass(frozen=True)
class AuditedStandard:
    """A linked audit standard and how often the visits the user may see found it met."""

    text: str
    met_rate: float | None
    answers: int

    def __str__(self) -> str:
        if self.met_rate is None:
            return _("%(standard)s: not audited yet") % {"standard": self.text}
        return _("%(standard)s: met in %(rate)s %% of %(n)s audits") % {
            "standard": self.text,
            "rate": number_format(round(self.met_rate), 0),
            "n": self.answers,
        }


@dataclass
class Column:
    """One touchpoint of the blueprint with its scores."""

    stage: Stage
    touchpoint: Touchpoint
    nps: MetricValue
    csat: MetricValue
    ces: MetricValue
    audited: list[AuditedStandard] = field(default_factory=list)

    def lane_text(self, name: str) -> str:
        tp = self.touchpoint
        if name == "responsible":
            owner = tp.owner_unit.name if tp.owner_unit else ""
            return " · ".join(part for part in (owner, tp.responsible) if part)
        if name == "standards" and self.audited:
            return "\n".join([tp.standards, *(f"✓ {a}" for a in self.audited)]).strip()
        return str(getattr(tp, name))

    def scores_text(self) -> str:
        parts = []
        for label, metric, digits in (("NPS", self.nps, 0), ("CSAT", self.csat, 0)):
            if metric.value is not None:
                parts.append(f"{label} {number_format(metric.value, digits)}")
        if self.ces.mean is not None:
            parts.append(f"CES {number_format(self.ces.mean, 1)}")
        if not parts:
            return _("No answers")
        n = max(self.nps.n, self.csat.n, self.ces.n)
        return " · ".join(parts) + " · " + _("n = %(n)s") % {"n": n}


@dataclass
class Blueprint:
    journey: Journey
    columns: list[Column]
    start: date
    end: date

    def stage_spans(self) -> list[tuple[Stage, int]]:
        """Each stage with how many touchpoint columns it spans (for the table header)."""
        spans: list[tuple[Stage, int]] = []
        for column in self.columns:
            if spans and spans[-1][0].pk == column.stage.pk:
                spans[-1] = (spans[-1][0], spans[-1][1] + 1)
            else:
                spans.append((column.stage, 1))
        return spans

    def lanes(self) -> list[tuple[str, str, list[str]]]:
        """(field, label, text per column) for each blueprint lane, top to bottom."""
        return [
            (name, lane_label(name), [c.lane_text(name) for c in self.columns])
            for name in BLUEPRINT_FIELDS
        ]


def lane_label(name: str) -> str:
    if name == "responsible":  # the owner unit and the role in it
        return _("Owner")
    field = Touchpoint._meta.get_field(name)
    assert isinstance(field, Field)
    return str(field.verbose_name).capitalize()


def journey_with_touchpoints(slug: str) -> Journey:
    touchpoints = Touchpoint.objects.filter(is_archived=False).select_related("owner_unit")
    stages = Stage.objects.filter(is_archived=False).prefetch_related(
        Prefetch("touchpoints", queryset=touchpoints)
    )
    return Journey.objects.prefetch_related(Prefetch("stages", queryset=stages)).get(slug=slug)


def build(journey: Journey, user: AnyUser, today: date | None = None) -> Blueprint:
    """The blueprint of ``journey`` (stages and touchpoints prefetched) with last 12 months'
    scores of the units the user may see."""
    start, end = default_range(today)
    f = replace(MetricFilter(start, end), journey=journey)
    totals = queries.totals_by(f, user, ("touchpoint_id",))
    audited = audited_standards(journey, user, start, end)
    columns = []
    for stage in journey.stages.all():
        for tp in stage.touchpoints.all():
            t = totals.get((tp.pk,), Totals())
            scores = metrics.nps(t), metrics.csat(t), metrics.ces(t)
            columns.append(Column(stage, tp, *scores, audited.get(tp.pk, [])))
    return Blueprint(journey, columns, start, end)


def audited_standards(
    journey: Journey, user: AnyUser, start: date, end: date
) -> dict[int, list[AuditedStandard]]:
    """Per touchpoint, its linked audit standards with their met rate over the visits of
    [start, end] at the units the user may see."""
    links = list(
        LinkedStandard.objects.filter(touchpoint__stage__journey=journey).select_related("standard")
    )
    if not links:
        return {}
    visits = Visit.objects.restrict(user, "audits.view_visit").filter(
        checklist__touchpoint__stage__journey=journey,
        visited_at__date__gte=start,
        visited_at__date__lte=end,
    )
    rates = {row["standard_id"]: row for row in by_standard(visits)}
    found: dict[int, list[AuditedStandard]] = {}
    for link in links:
        row = rates.get(link.standard_id, {})
        found.setdefault(link.touchpoint_id, []).append(
            AuditedStandard(link.standard.text, row.get("met_rate"), row.get("answers", 0))  # type: ignore[arg-type]
        )
    return found


def _lines(text: str) -> str:
    lines = [line for paragraph in text.splitlines() for line in textwrap.wrap(paragraph, WRAP)]
    if len(lines) > MAX_LINES:
        lines = [*lines[: MAX_LINES - 1], lines[MAX_LINES - 1][: WRAP - 1] + "…"]
    return "\n".join(lines)


def chart_rows(blueprint: Blueprint) -> list[dict[str, Any]]:
    lanes = [(str(TOUCHPOINT_LANE), None), *[(lane_label(n), n) for n in BLUEPRINT_FIELDS]]
    lanes.append((str(SCORES_LANE), "scores"))
    rows = []
    for order, column in enumerate(blueprint.columns):
        for lane_order, (label, name) in enumerate(lanes):
            if name is None:
                text = column.touchpoint.name
            elif name == "scores":
                text = column.scores_text()
            else:
                text = column.lane_text(name)
            rows.append(
                {
                    "stage": column.stage.name,
                    "stage_order": column.stage.position * 10_000 + column.stage.pk,
                    "touchpoint": f"{order:03d}",
                    "lane": label,
                    "lane_order": lane_order,
                    "text": _lines(text) if text else "—",
                }
            )
    return rows


def spec(blueprint: Blueprint) -> dict[str, Any]:
    """The blueprint as a Vega-Lite spec: one column per touchpoint, faceted by stage."""
    rows = chart_rows(blueprint)
    lane_names = list(dict.fromkeys(r["lane"] for r in rows))
    y = alt.Y("lane:N", sort=lane_names, title=None, axis=alt.Axis(labelFontWeight="bold"))
    x = alt.X("touchpoint:O", title=None, axis=None)
    colours = ["#D6E6F5", *LANE_COLOURS, "#E6F4EA"]
    cell = (
        alt.Chart()
        .mark_rect(stroke="white", strokeWidth=2)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "lane:N", scale=alt.Scale(domain=lane_names, range=colours), legend=None
            ),
        )
    )
    text = (
        alt.Chart()
        .mark_text(
            fontSize=9, lineBreak="\n", align="left", baseline="middle", dx=-COLUMN_WIDTH / 2 + 6
        )
        .encode(x=x, y=y, text="text:N")
    )
    chart = (
        alt.layer(cell, text, data=alt.Data(values=rows))
        .properties(width=alt.Step(COLUMN_WIDTH), height=alt.Step(LANE_HEIGHT))
        .facet(
            column=alt.Column(
                "stage:N",
                sort=alt.SortField("stage_order"),
                title=None,
                header=alt.Header(labelFontSize=12, labelFontWeight="bold", labelLimit=0),
            ),
            spacing=6,
        )
        .resolve_scale(x="independent")
        .properties(title=_("Service blueprint: %(journey)s") % {"journey": blueprint.journey})
    )
    return dict(chart.to_dict())


def pdf(blueprint: Blueprint) -> bytes:
    return bytes(vl_convert.vegalite_to_pdf(spec(blueprint)))


def svg(blueprint: Blueprint) -> str:
    return str(vl_convert.vegalite_to_svg(spec(blueprint)))
