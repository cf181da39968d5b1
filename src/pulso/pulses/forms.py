"""Forms of pulses: creating one, issuing invitations, and an employee's anonymous answer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pulso.accounts.models import OrgUnit
from pulso.core.access import AnyUser, restrict
from pulso.pulses.actions import MAX_INVITATIONS
from pulso.pulses.models import DEFAULT_ITEMS, Pulse, Tenure

CHANGE = "pulses.change_pulse"


class PulseForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    org_unit = forms.ModelChoiceField(label=_("Org unit"), queryset=OrgUnit.objects.none())
    items = forms.CharField(
        label=_("Engagement statements"),
        widget=forms.Textarea(attrs={"rows": 6}),
        initial="\n".join(DEFAULT_ITEMS),
        help_text=_("One per line; employees answer each from 1 (disagree) to 5 (agree)."),
    )

    def __init__(self, *args: Any, user: AnyUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = restrict(OrgUnit.objects.filter(is_active=True), user, CHANGE)
        self.fields["org_unit"].queryset = units  # type: ignore[attr-defined]

    def clean_items(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["items"].splitlines() if line.strip()]
        if not 1 <= len(lines) <= 20:
            raise forms.ValidationError(_("Write between 1 and 20 statements."))
        if any(len(line) > 300 for line in lines):
            raise forms.ValidationError(_("A statement has at most 300 characters."))
        return lines


class InvitationForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Org unit"), queryset=OrgUnit.objects.none())
    tenure = forms.ChoiceField(
        label=_("Tenure"), choices=[("", _("Not asked")), *Tenure.choices], required=False
    )
    count = forms.IntegerField(label=_("Invitations"), min_value=1, max_value=MAX_INVITATIONS)

    def __init__(self, *args: Any, pulse: Pulse, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = pulse.org_unit.subtree().filter(is_active=True)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


SCORES_1_5 = [(i, str(i)) for i in range(1, 6)]


class AnswerForm(forms.Form):
    enps = forms.TypedChoiceField(
        label=_("How likely are you to recommend this company as a place to work? (0–10)"),
        choices=[(i, str(i)) for i in range(11)],
        coerce=int,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, pulse: Pulse, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item in pulse.items.all():
            self.fields[f"item_{item.pk}"] = forms.TypedChoiceField(
                label=item.text, choices=SCORES_1_5, coerce=int, widget=forms.RadioSelect
            )

    def scores(self) -> dict[int, int]:
        return {
            int(name.removeprefix("item_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("item_")
        }
