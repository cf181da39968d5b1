"""The form of the survey-history import page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pulso.core.access import AnyUser
from pulso.core.forms import CleanTextMixin
from pulso.core.mapping import MappingError, parse_mapping_text
from pulso.surveys.importers.history import FORMAT_CHOICES
from pulso.surveys.models import Survey

DATE_ORDER_CHOICES = [
    ("", _("Only dates that cannot be misread (ISO, or day above 12)")),
    ("dmy", _("Day/month/year (31/12/2024)")),
    ("mdy", _("Month/day/year (12/31/2024)")),
    ("ymd", _("Year/month/day (2024/12/31)")),
]


class HistoryForm(CleanTextMixin, forms.Form):
    survey = forms.ModelChoiceField(
        label=_("Survey"),
        queryset=Survey.objects.filter(current_version__published_at__isnull=False),
    )
    format = forms.ChoiceField(label=_("Survey tool"), choices=FORMAT_CHOICES, initial="auto")
    file = forms.FileField(label=_("Export file (CSV, TSV or XLSX)"))
    date_order = forms.ChoiceField(
        label=_("Order of the dates in the file"), choices=DATE_ORDER_CHOICES, required=False
    )
    skip_incomplete = forms.BooleanField(
        label=_("Skip unfinished responses (instead of importing them as partial)"), required=False
    )
    mapping = forms.CharField(
        label=_("Column mapping (optional)"),
        required=False,
        widget=forms.Textarea({"rows": 5}),
        help_text=_(
            "One per line, column = question key (or respondent_id, submitted, started, "
            "customer; empty or ignore to leave a column out), or YAML/JSON with scales: "
            "“Atención: {question: csat, scale: [1, 5], reverse: true}”. A column is named by "
            "its whole header or its position (#3). Left empty, the mapping last used for a "
            "file with the same columns is used."
        ),
    )
    dry_run = forms.BooleanField(label=_("Check only (store nothing)"), required=False)

    def __init__(self, *args: Any, user: AnyUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        surveys = self.fields["survey"].queryset.restrict(user, "surveys.import_responses")  # type: ignore[attr-defined]
        self.fields["survey"].queryset = surveys  # type: ignore[attr-defined]

    def clean_mapping(self) -> dict[str, Any] | None:
        text = self.cleaned_data["mapping"]
        if not text.strip():
            return None
        try:
            return parse_mapping_text(text)
        except MappingError as exc:
            raise forms.ValidationError(str(exc)) from exc
