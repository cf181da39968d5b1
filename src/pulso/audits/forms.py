"""Forms: planning a visit, and recording one on a phone (one group of fields per standard)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pulso.accounts.models import Membership, OrgUnit
from pulso.audits.actions import AnswerIn
from pulso.audits.models import Checklist, Standard, Visit
from pulso.audits.photos import ACCEPT, validate_photo
from pulso.core.access import AnyUser, roles_with

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class VisitPlanForm(forms.Form):
    checklist = forms.ModelChoiceField(
        label=_("Checklist"), queryset=Checklist.objects.filter(is_active=True)
    )
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=Visit.Kind.choices)
    planned_for = forms.DateField(
        label=_("Planned for"), widget=forms.DateInput(attrs={"type": "date"})
    )
    auditor = forms.ModelChoiceField(
        label=_("Auditor"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("People who may record visits; nobody: anyone at the unit may record it."),
    )

    def __init__(self, *args: Any, actor: AnyUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.restrict(actor, "audits.plan_visit")  # type: ignore[attr-defined]
        auditors = Membership.objects.filter(role__in=roles_with("audits.record_visit"))
        self.fields["auditor"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(is_active=True, memberships__in=auditors)
            .distinct()
            .order_by("username")
        )


@dataclass
class Item:
    """A standard with the names of its fields in the recording form."""

    standard: Standard
    form: VisitRecordForm

    def _field(self, suffix: str) -> forms.BoundField | None:
        name = f"s{self.standard.pk}_{suffix}"
        return self.form[name] if name in self.form.fields else None

    @property
    def passed(self) -> forms.BoundField | None:
        return self._field("passed")

    @property
    def rating(self) -> forms.BoundField | None:
        return self._field("rating")

    @property
    def photo(self) -> forms.BoundField | None:
        return self._field("photo")

    @property
    def comment(self) -> forms.BoundField | None:
        return self._field("comment")


def _standard_fields(standard: Standard) -> dict[str, forms.Field]:
    prefix = f"s{standard.pk}_"
    found: dict[str, forms.Field] = {}
    if standard.kind in (Standard.Kind.YES_NO, Standard.Kind.PHOTO):
        found[prefix + "passed"] = forms.ChoiceField(
            label=_("Met?"), choices=YES_NO, widget=forms.RadioSelect
        )
    if standard.kind == Standard.Kind.SCALE:
        found[prefix + "rating"] = forms.TypedChoiceField(
            label=_("Rating"),
            choices=[(n, str(n)) for n in range(1, standard.scale_max + 1)],
            coerce=int,
            widget=forms.RadioSelect,
        )
    if standard.kind == Standard.Kind.PHOTO:
        found[prefix + "photo"] = forms.FileField(
            label=_("Photo"), widget=forms.ClearableFileInput(attrs={"accept": ACCEPT,
                                                                      "capture": "environment"})
        )  # fmt: skip
    found[prefix + "comment"] = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    return found


class VisitRecordForm(forms.Form):
    """Every standard of the visit's checklist, the visit's date and a general comment."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    visited_at = forms.DateTimeField(
        label=_("Date and time of the visit"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    comment = forms.CharField(
        label=_("General comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )

    def __init__(self, *args: Any, visit: Visit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.visit = visit
        self.standards = list(visit.checklist.standards.all())
        for standard in self.standards:
            self.fields.update(_standard_fields(standard))

    @property
    def items(self) -> list[Item]:
        return [Item(standard, self) for standard in self.standards]

    def clean_visited_at(self) -> Any:
        value = self.cleaned_data["visited_at"]
        if value and value > timezone.now():
            raise ValidationError(_("The visit cannot be in the future."))
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, value in list(cleaned.items()):
            if name.endswith("_photo") and value:
                try:
                    validate_photo(value)
                except ValidationError as error:
                    self.add_error(name, error)
        return cleaned

    def answers(self) -> dict[int, AnswerIn]:
        data = self.cleaned_data
        found = {}
        for standard in self.standards:
            prefix = f"s{standard.pk}_"
            passed = data.get(prefix + "passed")
            found[standard.pk] = AnswerIn(
                passed=None if not passed else passed == "yes",
                rating=data.get(prefix + "rating"),
                comment=data.get(prefix + "comment") or "",
                photo=data.get(prefix + "photo") or None,
            )
        return found


def draft_of(data: Any) -> dict[str, str]:
    """The text fields of a draft posted by the phone (files are never part of a draft)."""
    return {
        key: str(value)
        for key, value in data.items()
        if key not in ("csrfmiddlewaretoken",) and isinstance(value, str | int | float)
    }
