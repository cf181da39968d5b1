"""The form of the survey-history import page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pulso.core.access import AnyUser
from pulso.core.forms import CleanTextMixin
from pulso.surveys.importers.history import FORMAT_CHOICES
from pulso.surveys.models import Survey


class HistoryForm(CleanTextMixin, forms.Form):
    survey = forms.ModelChoiceField(
        label=_("Survey"),
        queryset=Survey.objects.filter(current_version__published_at__isnull=False),
    )
    format = forms.ChoiceField(label=_("Export format"), choices=FORMAT_CHOICES)
    file = forms.FileField(label=_("Export file (CSV)"))
    skip_incomplete = forms.BooleanField(
        label=_("Skip unfinished responses (instead of importing them as partial)"), required=False
    )
    mapping = forms.CharField(
        label=_("Column mapping (optional)"),
        required=False,
        widget=forms.Textarea({"rows": 3}),
        help_text=_(
            "One per line: export question code = Pulso question key, e.g. "
            "Q2 = detractor_comment. Columns are otherwise matched by code or question text."
        ),
    )
    dry_run = forms.BooleanField(label=_("Check only (store nothing)"), required=False)

    def __init__(self, *args: Any, user: AnyUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        surveys = self.fields["survey"].queryset.restrict(user, "surveys.import_responses")  # type: ignore[attr-defined]
        self.fields["survey"].queryset = surveys  # type: ignore[attr-defined]

    def clean_mapping(self) -> dict[str, str]:
        pairs: dict[str, str] = {}
        for line in self.cleaned_data["mapping"].splitlines():
            if not line.strip():
                continue
            column, sep, key = line.rpartition("=")
            if not sep or not column.strip():
                raise forms.ValidationError(_("Write each line as CODE = key."))
            pairs[column.strip()] = key.strip()
        return pairs
