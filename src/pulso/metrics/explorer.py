"""The feedback explorer: the feedback records behind any filter, searchable in Spanish.

Survey responses and unsolicited feedback are one kind of record, listed newest first through
the (place, date) indexes and paged by seeking from the last row shown (date, id) rather than
by an offset, so that page 1,000 costs what page 1 does; the matches are counted up to a cap.
Exports stream every row.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from django import forms
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from pulso.accounts.models import OrgUnit
from pulso.core.access import AnyUser
from pulso.feedback.models import Feedback
from pulso.feedback.privacy import comment_privacy
from pulso.lib.scores import DETRACTOR_MAX, PASSIVE_MIN, PROMOTER_MIN, nps_group
from pulso.metrics.aggregates import day_bounds
from pulso.metrics.filters import MetricFilter, MetricFilterForm
from pulso.metrics.search_index import matching_text
from pulso.surveys.models import Survey
from pulso.textanalytics.models import Sentiment, Topic

PAGE_SIZE = 25
# Counted exactly up to this; beyond it "more than", so that the count reads at most this many
# rows whatever the history holds (every page can still be reached, one seek at a time).
COUNT_CAP = 1_000
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
    # Where a page starts: after (older than) or before (newer than) a row shown, as "page
    # tokens" (see ``Position``); hidden in the pagination links.
    older = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    newer = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    def clean_audience(self) -> str:
        return self.cleaned_data.get("audience") or ""  # the explorer shows every audience

    def clean_older(self) -> Position | None:
        return Position.parse(self.cleaned_data.get("older") or "")

    def clean_newer(self) -> Position | None:
        return Position.parse(self.cleaned_data.get("newer") or "")


TOKEN = re.compile(r"(\d{20})\.(\d{1,18})")


@dataclass(frozen=True)
class Position:
    """A row's place in the explorer's order (newest first, then highest id)."""

    when: datetime
    pk: int

    @property
    def token(self) -> str:
        return f"{self.when.astimezone(UTC):%Y%m%d%H%M%S%f}.{self.pk}"

    @classmethod
    def parse(cls, token: str) -> Position | None:
        """The position a token names; None for no token, a form error for a bad one."""
        if not token:
            return None
        match = TOKEN.fullmatch(token)
        try:
            when = datetime.strptime(f"{match[1]}+0000", "%Y%m%d%H%M%S%f%z") if match else None
        except ValueError:
            when = None
        if match is None or when is None:
            raise forms.ValidationError(_("This page link is not valid."), code="invalid")
        return cls(when, int(match[2]))

    def older(self) -> Q:
        """The rows after this one (older, or as old with a lower id)."""
        after = Q(received_at__lt=self.when) | Q(received_at=self.when, pk__lt=self.pk)
        return Q(received_at__lte=self.when) & after  # the bound alone serves the date index

    def newer(self) -> Q:
        before = Q(received_at__gt=self.when) | Q(received_at=self.when, pk__gt=self.pk)
        return Q(received_at__gte=self.when) & before


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
    unit_path: str | None = None

    @property
    def nps_group(self) -> str | None:
        """promoter / passive / detractor for responses with an NPS answer."""
        return nps_group(self.nps)


KIND_SOURCES = {
    "responses": Q(source=Feedback.Source.SURVEY),
    "feedback": ~Q(source=Feedback.Source.SURVEY),
}


def explorer_records(
    f: MetricFilter, data: dict[str, Any], user: AnyUser, kind: str = ""
) -> QuerySet[Feedback]:
    """The complete feedback records behind the filter, of every source or of one ``kind``.

    Conditions on what every record has (period, place, scores, analysis, text) read the record;
    those only a survey response has (survey, audience, response channel, segment) go through
    it, and so leave out unsolicited feedback.
    """
    start, end = day_bounds(f.start, f.end)
    values = {
        "received_at__gte": start,
        "received_at__lt": end,
        "journey": f.journey,
        "stage": f.stage,
        "touchpoint": f.touchpoint,
        "org_unit__in": _subtree_ids(f.unit) if f.unit else None,
        "response__channel": f.channel,
        "response__segment": f.segment,
        "response__survey": f.survey,
        "response__survey__in": _audience_survey_ids(f.audience) if f.audience else None,
        "analysis__sentiment": data.get("sentiment"),
        "analysis__topics": data.get("topic"),
    }
    found = (
        Feedback.objects.complete()
        .visible_to(user)
        .filter(**{k: v for k, v in values.items() if v not in (None, "")})
    )
    if kind in KIND_SOURCES:
        found = found.filter(KIND_SOURCES[kind])
    if data.get("group"):
        found = found.filter(NPS_GROUPS[data["group"]])
    if data.get("q"):
        found = found.filter(matching_text(data["q"]))
    return found


def _subtree_ids(unit: OrgUnit) -> list[int]:
    """The ids of the unit and the units below it.

    Records are filtered on these ids rather than joined to the units by path, so that the
    (unit, date) index reads one unit's newest records first."""
    return list(unit.subtree().order_by().values_list("pk", flat=True))


def _audience_survey_ids(audience: str) -> list[int]:
    """The ids of the surveys of one audience.

    A condition on the responses' own survey column, instead of a join to the surveys: that
    small table can go unanalysed (autovacuum waits for 50 changed rows), and from no
    statistics PostgreSQL took it for one row and read a unit's records once per survey."""
    return list(Survey.objects.filter(audience=audience).order_by().values_list("pk", flat=True))


ROW_FIELDS = (
    "pk", "source", "received_at", "text", "nps", "csat", "ces", "rating",
    "touchpoint__name", "org_unit__name", "channel", "response__channel", "org_unit__path",
    "analysis__sentiment",
)  # fmt: skip


def _rows(
    queryset: QuerySet[Feedback], newest_first: bool = True, limit: int | None = None
) -> Iterator[Row]:
    order = ("-received_at", "-pk") if newest_first else ("received_at", "pk")
    ordered = queryset.order_by(*order).values_list(*ROW_FIELDS)
    for pk, source, when, text, nps, csat, ces, rating, *where, sentiment in ordered[
        :limit
    ].iterator(2000):
        touchpoint, unit, channel, response_channel, unit_path = where
        survey = source == Feedback.Source.SURVEY
        yield Row(
            kind="response" if survey else "feedback",
            pk=pk,
            when=when,
            text=text,
            nps=nps,
            csat=csat,
            ces=ces,
            rating=None if survey else rating,
            touchpoint=touchpoint or "",
            unit=unit or "",
            channel=(response_channel if survey else channel) or "",
            sentiment=sentiment or "",
            unit_path=unit_path,
        )


@dataclass
class Results:
    rows: list[Row]
    count: int
    more: bool = False  # more than ``count`` records match (the count stopped at its cap)
    newer: str = ""  # the token of the page before (newer rows), if there is one
    older: str = ""  # the token of the page after (older rows), if there is one


class Explorer:
    """The rows behind a validated explorer form."""

    def __init__(self, form: ExplorerFilterForm, user: AnyUser) -> None:
        data = form.cleaned_data
        self.filter = form.metric_filter()
        if not data.get("audience"):
            self.filter = replace(self.filter, audience="")
        self.records = explorer_records(self.filter, data, user, kind=data.get("kind") or "")
        self.older: Position | None = data.get("older")
        self.newer: Position | None = data.get("newer")
        self.privacy = comment_privacy(user)

    def _shown(self, row: Row) -> Row:
        """The row with the personal details of its comment masked where the user may not
        see them."""
        text = self.privacy.text(row.text, feedback_id=row.pk, path=row.unit_path, by_path=True)
        return row if text == row.text else replace(row, text=text)

    def _page(
        self, size: int, position: Position, towards_newer: bool
    ) -> tuple[list[Row], bool, bool]:
        """A later page (newest first) seeking from ``position``, whether newer rows and older
        rows exist: the side the page was read towards by reading one row more, the other by
        one probe. The first page is :meth:`_first_page`."""
        if towards_newer:
            found = list(_rows(self.records.filter(position.newer()), False, size + 1))
            rows = found[:size][::-1]
            last = Position(rows[-1].when, rows[-1].pk) if rows else position
            return rows, len(found) > size, self.records.filter(last.older()).exists()
        found = list(_rows(self.records.filter(position.older()), True, size + 1))
        rows = found[:size]
        first = Position(rows[0].when, rows[0].pk) if rows else position
        return rows, self.records.filter(first.newer()).exists(), len(found) > size

    def _first_page(self, size: int, cap: int) -> tuple[list[Row], int, bool]:
        """The first page, the matches counted up to ``cap + 1`` and whether older rows exist,
        from one ordered read of the matching ids: the filter is walked once, not once to
        count and once for the page (a text search matching tens of thousands of records
        costs one pass over them)."""
        newest = self.records.order_by("-received_at", "-pk").values_list("pk", flat=True)
        ids = list(newest[: max(cap, size) + 1])
        found = list(_rows(Feedback.objects.filter(pk__in=ids[: size + 1]), True, size + 1))
        return found[:size], len(ids), len(found) > size

    def results(self, size: int = PAGE_SIZE, cap: int = COUNT_CAP) -> Results:
        """One page of rows, and the records that match counted up to ``cap``."""
        if self.newer is not None:
            count = self.records[: cap + 1].count()
            rows, newer, older = self._page(size, self.newer, towards_newer=True)
        elif self.older is not None:
            count = self.records[: cap + 1].count()
            rows, newer, older = self._page(size, self.older, towards_newer=False)
        else:
            rows, count, older = self._first_page(size, cap)
            newer = False
        return Results(
            [self._shown(row) for row in rows],
            min(count, cap),
            more=count > cap,
            newer=Position(rows[0].when, rows[0].pk).token if newer and rows else "",
            older=Position(rows[-1].when, rows[-1].pk).token if older and rows else "",
        )

    def all_rows(self) -> Iterator[Row]:
        """Every row, newest first, for exports (streamed from the database).

        On PostgreSQL, read in one transaction: one snapshot however long the export, and a
        cursor that reads as it goes (outside a transaction the cursor must outlive its commit,
        and PostgreSQL then computes the whole result before the first row). Not on SQLite,
        where Pulso's transactions take the write lock at once and would hold it meanwhile.
        """
        postgres = connection.vendor == "postgresql"
        with transaction.atomic() if postgres else nullcontext():
            for row in _rows(self.records):
                yield self._shown(row)
