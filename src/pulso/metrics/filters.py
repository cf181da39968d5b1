"""Dashboard, explorer and API filters: parsed and validated in one form, for every view.

Unknown values, malformed dates and inverted ranges become form errors (shown with
``role=alert`` in the UI, a 422 in the API), never a 500.
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

    @property
    def previous(self) -> tuple[date, date]:
        """The period of the same length just before this one."""
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
        end = data.get("end") or timezone.localdate()
        start = data.get("start") or default_range(end)[0]
        if "start" not in self.errors and "end" not in self.errors:
            if start > end:
                raise forms.ValidationError(_("The start date must not be after the end date."))
            if (end - start).days > MAX_RANGE_DAYS:
                raise forms.ValidationError(_("Choose a period of five years at most."))
        data["start"], data["end"] = start, end
        return data

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
