from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pulso.audits.models import Standard
from pulso.core.forms import CleanTextMixin
from pulso.design.models import Archetype
from pulso.journeys.models import Touchpoint

MAX_DAYS = 366 * 3


class FindArchetypesForm(forms.Form):
    """The period whose customers (those with feedback in it) are grouped."""

    since = forms.DateField(
        label=_("Feedback from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(label=_("to"), widget=forms.DateInput(attrs={"type": "date"}))

    @staticmethod
    def initial_period(today: date | None = None) -> dict[str, date]:
        today = today or timezone.localdate()
        return {"since": today - timedelta(days=365), "until": today}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until:
            if since > until:
                raise forms.ValidationError(_("The start date is after the end date."))
            if (until - since).days > MAX_DAYS:
                raise forms.ValidationError(_("Choose a period of at most three years."))
        return data


class ArchetypeForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = Archetype
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def clean_name(self) -> str:
        name = str(self.cleaned_data["name"]).strip()
        if not name:
            raise forms.ValidationError(_("The name cannot be blank."))
        return name


class LinkedStandardsForm(forms.Form):
    """Which audit standards of the touchpoint's checklists check its blueprint standards."""

    audit_standards = forms.ModelMultipleChoiceField(
        label=_("Audit standards that check them"),
        queryset=Standard.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The blueprint shows how often audits find each one met."),
    )

    def __init__(self, *args: Any, touchpoint: Touchpoint, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        standards = Standard.objects.filter(
            checklist__touchpoint=touchpoint, checklist__is_active=True
        ).select_related("checklist")
        field = self.fields["audit_standards"]
        field.queryset = standards  # type: ignore[attr-defined]
        field.label_from_instance = lambda s: f"{s.checklist} · {s.text}"  # type: ignore[attr-defined]
        if not standards:
            field.help_text = _("No audit checklist of this touchpoint has standards yet.")
