"""The feedback explorer: responses and feedback items behind any filter, searchable in Spanish.

Both kinds are merged newest first. A page reads at most ``page × size`` rows of each kind
through the date indexes (no UNION sort over millions of rows); exports stream every row.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from heapq import merge
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from pulso.feedback.models import Feedback
from pulso.lib.scores import DETRACTOR_MAX, PASSIVE_MIN, PROMOTER_MIN, nps_group
from pulso.lib.search import search_tokens
from pulso.metrics.aggregates import day_bounds
from pulso.metrics.filters import MetricFilter, MetricFilterForm
from pulso.metrics.responses import response_conditions
from pulso.surveys.models import Response, Survey
from pulso.textanalytics.models import Sentiment, Topic

PAGE_SIZE = 25
MAX_PAGE = 400
NPS_GROUPS = {
    "promoter": Q(nps__gte=PROMOTER_MIN),
    "passive": Q(nps__gte=PASSIVE_MIN, nps__lt=PROMOTER_MIN),
    "detractor": Q(nps__lte=DETRACTOR_MAX),
}


class ExplorerFilterForm(MetricFilterForm):
    group = forms.ChoiceField(
        label=_("Score group"),
        required=False,
        choices=[
            ("", _("All")),
            ("promoter", _("Promoters (9–10)")),
            ("passive", _("Passives (7–8)")),
            ("detractor", _("Detractors (0–6)")),
        ],
    )
    sentiment = forms.ChoiceField(
        label=_("Sentiment"), required=False, choices=[("", _("All")), *Sentiment.choices]
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.filter(is_active=True),
        to_field_name="slug",
        required=False,
    )
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    kind = forms.ChoiceField(
        label=_("Source"),
        required=False,
        choices=[
            ("", _("Responses and feedback")),
            ("responses", _("Survey responses")),
            ("feedback", _("Unsolicited feedback")),
        ],
    )
    page = forms.IntegerField(label=_("Page"), min_value=1, max_value=MAX_PAGE, required=False)

    def clean_audience(self) -> str:
        return self.cleaned_data.get("audience") or ""  # the explorer shows every audience


@dataclass(frozen=True)
class Row:
    kind: str
    pk: int
    when: datetime
    text: str
    nps: int | None
    csat: int | None
    ces: int | None
    rating: Any
    touchpoint: str
    unit: str
    channel: str
    sentiment: str

    @property
    def nps_group(self) -> str | None:
        """promoter / passive / detractor for responses with an NPS answer."""
        return nps_group(self.nps)


def _search(prefix: str, query: str) -> Q:
    condition = Q()
    for token in search_tokens(query):
        condition &= Q(**{f"{prefix}search_document__text__contains": f" {token}"})
    return condition


def explorer_responses(f: MetricFilter, data: dict[str, Any], user: Any) -> QuerySet[Response]:
    found = Response.objects.visible_to(user).filter(response_conditions(f))
    if data.get("group"):
        found = found.filter(NPS_GROUPS[data["group"]])
    if data.get("sentiment"):
        found = found.filter(feedback__analysis__sentiment=data["sentiment"])
    if data.get("topic"):
        found = found.filter(feedback__analysis__topics=data["topic"])
    if data.get("q"):
        found = found.filter(_search("feedback__", data["q"]))
    return found


def explorer_feedback(f: MetricFilter, data: dict[str, Any], user: Any) -> QuerySet[Feedback]:
    if data.get("group") or f.segment or f.survey or f.audience == Survey.Audience.EMPLOYEE:
        return Feedback.objects.none()  # those filters only exist for survey responses
    start, end = day_bounds(f.start, f.end)
    values = {
        "received_at__gte": start,
        "received_at__lt": end,
        "touchpoint__stage__journey": f.journey,
        "touchpoint__stage": f.stage,
        "touchpoint": f.touchpoint,
        "channel": f.channel,
        "org_unit__path__startswith": f.unit.path if f.unit else None,
        "analysis__sentiment": data.get("sentiment"),
        "analysis__topics": data.get("topic"),
    }
    found = (
        Feedback.objects.unsolicited()
        .visible_to(user)
        .filter(**{k: v for k, v in values.items() if v not in (None, "")})
    )
    if data.get("q"):
        found = found.filter(_search("", data["q"]))
    return found


def _response_rows(queryset: QuerySet[Response], limit: int | None = None) -> Iterator[Row]:
    fields = (
        "pk",
        "submitted_at",
        "comment",
        "nps",
        "csat",
        "ces",
        "touchpoint__name",
        "org_unit__name",
        "channel",
        "feedback__analysis__sentiment",
    )
    ordered = queryset.order_by("-submitted_at", "-pk").values_list(*fields)
    for r in (ordered[:limit] if limit else ordered).iterator(2000):
        yield Row(
            "response",
            r[0],
            r[1],
            r[2],
            r[3],
            r[4],
            r[5],
            None,
            r[6] or "",
            r[7] or "",
            r[8],
            r[9] or "",
        )


def _feedback_rows(queryset: QuerySet[Feedback], limit: int | None = None) -> Iterator[Row]:
    fields = (
        "pk",
        "received_at",
        "text",
        "rating",
        "touchpoint__name",
        "org_unit__name",
        "channel",
        "analysis__sentiment",
    )
    ordered = queryset.order_by("-received_at", "-pk").values_list(*fields)
    for r in (ordered[:limit] if limit else ordered).iterator(2000):
        yield Row(
            "feedback",
            r[0],
            r[1],
            r[2],
            None,
            None,
            None,
            r[3],
            r[4] or "",
            r[5] or "",
            r[6],
            r[7] or "",
        )


@dataclass
class Results:
    rows: list[Row]
    count: int
    page: int
    pages: int


class Explorer:
    """The rows behind a validated explorer form."""

    def __init__(self, form: ExplorerFilterForm, user: Any) -> None:
        data = form.cleaned_data
        self.filter = form.metric_filter()
        if not data.get("audience"):
            self.filter = replace(self.filter, audience="")
        kind = data.get("kind") or ""
        self.responses = (
            explorer_responses(self.filter, data, user)
            if kind != "feedback"
            else Response.objects.none()
        )
        self.feedback = (
            explorer_feedback(self.filter, data, user)
            if kind != "responses"
            else Feedback.objects.none()
        )
        self.page = data.get("page") or 1

    def results(self, size: int = PAGE_SIZE) -> Results:
        count = self.responses.count() + self.feedback.count()
        upto = self.page * size
        newest = merge(
            _response_rows(self.responses, upto),
            _feedback_rows(self.feedback, upto),
            key=lambda row: row.when,
            reverse=True,
        )
        rows = list(newest)[upto - size : upto]
        pages = min(max(1, -(-count // size)), MAX_PAGE)
        return Results(rows, count, self.page, pages)

    def all_rows(self) -> Iterator[Row]:
        """Every row, responses first, for exports (streamed from the database)."""
        yield from _response_rows(self.responses)
        yield from _feedback_rows(self.feedback)
