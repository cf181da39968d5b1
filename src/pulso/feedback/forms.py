"""Forms of the feedback pages: explorer filters, file upload, column mapping, history import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pulso.core.access import AnyUser
from pulso.feedback.importing import FIELD_LABELS
from pulso.feedback.models import UNSOLICITED_SOURCES
from pulso.journeys.models import Channel, Touchpoint
from pulso.surveys.importers.history import FORMAT_CHOICES
from pulso.surveys.models import Survey

MAX_UPLOAD = 50 * 1024 * 1024


def _no_choice(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


class ExplorerFilters(forms.Form):
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput({"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput({"type": "date"})
    )
    source = forms.ChoiceField(
        label=_("Source"),
        required=False,
        choices=_no_choice(_("All")) + UNSOLICITED_SOURCES,
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=_no_choice(_("All")) + Channel.choices
    )
    touchpoint = forms.ModelChoiceField(
        label=_("Touchpoint"),
        required=False,
        queryset=Touchpoint.objects.filter(is_archived=False),
        empty_label=_("All"),
    )
    q = forms.CharField(label=_("Text contains"), required=False, max_length=200)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or Excel)"),
        help_text=_(
            "UTF-8 or Windows/Latin-1 CSV separated by commas, semicolons or tabs, "
            "or an .xlsx workbook. The first row holds the column names."
        ),
    )
    source = forms.ChoiceField(
        label=_("Source"),
        required=False,
        choices=_no_choice(_("From a column of the file")) + UNSOLICITED_SOURCES,
        help_text=_("Used for rows without a source column."),
    )
    source_name = forms.CharField(
        label=_("Source name"),
        required=False,
        max_length=100,
        help_text=_("e.g. Google, Trustpilot, X"),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 50 MB; split it."))
        return upload


class MappingForm(forms.Form):
    """One select per feedback field, listing the file's columns."""

    def __init__(
        self, headers: list[str], initial_mapping: dict[str, int], *args: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        columns = _no_choice(_("(do not import)")) + [
            (str(i), h or f"#{i + 1}") for i, h in enumerate(headers)
        ]
        for name, label in FIELD_LABELS.items():
            initial = initial_mapping.get(name)
            self.fields[name] = forms.ChoiceField(
                label=label,
                required=name == "text",
                choices=columns,
                initial="" if initial is None else str(initial),
            )

    def mapping(self) -> dict[str, int]:
        return {name: int(value) for name, value in self.cleaned_data.items() if value != ""}


class HistoryForm(forms.Form):
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
