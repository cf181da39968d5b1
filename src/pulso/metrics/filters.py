"""Dashboard, explorer and API filters: parsed and validated in one form, for every view.

Unknown values and malformed dates become form errors (shown with ``role=alert`` in the UI, a
422 in the API), never a 500. A period longer than five years is shortened to the five years
ending at its last day, and a start after the end is the empty period (no answers); both are
said in the filter (``adjusted``) and on the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pulso.accounts.models import OrgUnit
from pulso.core.access import AnyUser
from pulso.journeys.models import Journey, Stage, Touchpoint
from pulso.surveys.models import Channel, Survey

MAX_RANGE_DAYS = 366 * 5
# Periods are kept within these days, so that the previous period and the trend's buckets
# stay within what dates can hold.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)


class Adjusted:
    """How the period asked for was changed before use."""

    CLAMPED, EMPTY = "clamped", "empty"


def fit_period(start: date, end: date) -> tuple[date, date, str]:
    """The period shown for ``start``…``end``, and how it was adjusted ("" when not): within
    FIRST_DAY…LAST_DAY, at most MAX_RANGE_DAYS ending at ``end``; ``start`` after ``end`` is
    kept as the empty period."""
    start = min(max(start, FIRST_DAY), LAST_DAY)
    end = min(max(end, FIRST_DAY), LAST_DAY)
    if start > end:
        return start, end, Adjusted.EMPTY
    if (end - start).days > MAX_RANGE_DAYS:
        return end - timedelta(days=MAX_RANGE_DAYS), end, Adjusted.CLAMPED
    return start, end, ""


class Period:
    DAY, WEEK, MONTH, QUARTER = "day", "week", "month", "quarter"
    CHOICES = [
        (DAY, _("Day")),
        (WEEK, _("Week")),
        (MONTH, _("Month")),
        (QUARTER, _("Quarter")),
    ]


def bucket_start(day: date, by: str) -> date:
    """The first day of the day / week (Monday) / month / quarter ``day`` falls in."""
    if by == Period.DAY:
        return day
    if by == Period.WEEK:
        return day - timedelta(days=day.weekday())
    if by == Period.QUARTER:
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    return day.replace(day=1)


def default_range(today: date | None = None) -> tuple[date, date]:
    """The last twelve months, whole months plus the current one so far."""
    today = today or timezone.localdate()
    month = today.month - 11
    year = today.year + (month - 1) // 12
    return date(year, (month - 1) % 12 + 1, 1), today


@dataclass(frozen=True)
class MetricFilter:
    start: date
    end: date
    by: str = Period.MONTH
    journey: Journey | None = None
    stage: Stage | None = None
    touchpoint: Touchpoint | None = None
    unit: OrgUnit | None = None
    channel: str = ""
    segment: str = ""
    survey: Survey | None = None
    audience: str = Survey.Audience.CUSTOMER
    adjusted: str = ""

    @property
    def is_empty(self) -> bool:
        """A start after the end: the period holds no day."""
        return self.start > self.end

    @property
    def previous(self) -> tuple[date, date]:
        """The period of the same length just before this one (empty for an empty one)."""
        length = self.end - self.start
        end = self.start - timedelta(days=1)
        return end - length, end


class MetricFilterForm(forms.Form):
    """The filters every dashboard, export and API endpoint accepts (GET parameters)."""

    start = forms.DateField(label=_("From"), required=False)
    end = forms.DateField(label=_("To"), required=False)
    by = forms.ChoiceField(label=_("Group by"), choices=Period.CHOICES, required=False)
    journey = forms.ModelChoiceField(
        label=_("Journey"), queryset=Journey.objects.none(), to_field_name="slug", required=False
    )
    stage = forms.ModelChoiceField(label=_("Stage"), queryset=Stage.objects.none(), required=False)
    touchpoint = forms.ModelChoiceField(
        label=_("Touchpoint"), queryset=Touchpoint.objects.none(), required=False
    )
    unit = forms.ModelChoiceField(
        label=_("Org unit"), queryset=OrgUnit.objects.none(), to_field_name="code", required=False
    )
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    segment = forms.CharField(label=_("Segment"), max_length=60, required=False)
    survey = forms.ModelChoiceField(
        label=_("Survey"), queryset=Survey.objects.none(), required=False
    )
    audience = forms.ChoiceField(
        label=_("Audience"), choices=Survey.Audience.choices, required=False
    )

    def __init__(self, data: Any, user: AnyUser, **kwargs: Any) -> None:
        # "from"/"to" read better in URLs; the form fields can't be called "from".
        data = _renamed(data, {"from": "start", "to": "end"})
        super().__init__(data, **kwargs)
        self.fields["journey"].queryset = Journey.objects.filter(is_archived=False)  # type: ignore[attr-defined]
        self.fields["stage"].queryset = Stage.objects.select_related("journey")  # type: ignore[attr-defined]
        self.fields["touchpoint"].queryset = Touchpoint.objects.select_related("stage")  # type: ignore[attr-defined]
        self.fields["unit"].queryset = OrgUnit.objects.visible_to(user)  # type: ignore[attr-defined]
        self.fields["survey"].queryset = Survey.objects.all()  # type: ignore[attr-defined]
        self.fields["channel"].choices = [("", _("All channels")), *Channel.choices]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        end = min(max(data.get("end") or timezone.localdate(), FIRST_DAY), LAST_DAY)
        start = data.get("start") or default_range(end)[0]
        data["start"], data["end"], data["adjusted"] = fit_period(start, end)
        return data

    @property
    def period_note(self) -> str:
        """What the page says when the period shown is not the one asked for."""
        adjusted = getattr(self, "cleaned_data", {}).get("adjusted")
        if adjusted == Adjusted.CLAMPED:
            return str(_("Periods are five years at most: showing the five years to the end date."))
        if adjusted == Adjusted.EMPTY:
            return str(_("The start date is after the end date: the period is empty."))
        return ""

    def metric_filter(self) -> MetricFilter:
        """The validated filter; call only after ``is_valid()``."""
        data = self.cleaned_data
        return MetricFilter(
            start=data["start"],
            end=data["end"],
            by=data.get("by") or Period.MONTH,
            journey=data.get("journey"),
            stage=data.get("stage"),
            touchpoint=data.get("touchpoint"),
            unit=data.get("unit"),
            channel=data.get("channel") or "",
            segment=data.get("segment") or "",
            survey=data.get("survey"),
            audience=data.get("audience") or Survey.Audience.CUSTOMER,
            adjusted=data.get("adjusted") or "",
        )


def _renamed(data: Any, names: dict[str, str]) -> Any:
    if data is None:
        return None
    copy = data.copy()
    if not copy.get("by"):
        copy["by"] = Period.MONTH  # so the form shows the grouping actually used
    for old, new in names.items():
        if old in copy and new not in copy:
            copy[new] = copy.pop(old)[-1] if hasattr(copy, "getlist") else copy.pop(old)
    return copy
