"""Forms of initiatives and pilots: choices limited to what the person may act on."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pulso.accounts.models import OrgUnit
from pulso.core.access import AnyUser, restrict
from pulso.initiatives.models import Initiative, Pilot

CHANGE = "initiatives.change_initiative"
MAX_COMPARISON_DAYS = 366


class InitiativeForm(forms.ModelForm[Initiative]):
    class Meta:
        model = Initiative
        fields = [
            "title",
            "problem",
            "topics",
            "touchpoints",
            "org_unit",
            "owner",
            "status",
            "cost",
            "expected_impact",
        ]
        widgets = {"problem": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, user: AnyUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = restrict(OrgUnit.objects.filter(is_active=True), user, CHANGE)
        self.fields["org_unit"].queryset = units  # type: ignore[attr-defined]
        people = get_user_model().objects.filter(is_active=True).order_by("username")
        self.fields["owner"].queryset = people  # type: ignore[attr-defined]


class PilotForm(forms.ModelForm[Pilot]):
    class Meta:
        model = Pilot
        fields = [
            "name",
            "metric",
            "touchpoint",
            "treated_units",
            "control_units",
            "before_start",
            "before_end",
            "after_start",
            "after_end",
        ]
        widgets = {
            name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            for name in ("before_start", "before_end", "after_start", "after_end")
        }

    def __init__(self, *args: Any, initiative: Initiative, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.initiative = initiative
        # Units below the initiative's own: whoever sees the initiative may see their figures.
        units = initiative.org_unit.subtree().filter(is_active=True)
        for name in ("treated_units", "control_units"):
            self.fields[name].queryset = units  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        treated, control = data.get("treated_units"), data.get("control_units")
        if treated is not None and control is not None and set(treated) & set(control):
            self.add_error("control_units", _("A unit cannot be both a pilot and a control unit."))
        start = data.get("before_start")
        if start and start > timezone.localdate():
            self.add_error("before_start", _("The before window cannot start in the future."))
        return data


class ComparisonForm(forms.Form):
    """The customers' period and the kind of unit compared (GET parameters)."""

    start = forms.DateField(
        label=_("Customers' answers from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label=_("to"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    kind = forms.ChoiceField(
        label=_("Units compared"), choices=OrgUnit.Kind.choices, required=False
    )

    def __init__(self, *args: Any, period: tuple[date, date], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.period = period

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start = data.get("start") or self.period[0]
        end = data.get("end") or self.period[1]
        if start > end:
            raise forms.ValidationError(_("The start date must not be after the end date."))
        if (end - start).days > MAX_COMPARISON_DAYS:
            raise forms.ValidationError(_("Choose a period of one year at most."))
        data.update(start=start, end=end, kind=data.get("kind") or OrgUnit.Kind.STORE)
        return data
