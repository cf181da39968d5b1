"""Forms of the feedback pages: explorer filters, file upload, column mapping."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pulso.core.forms import CleanTextMixin, UploadField
from pulso.feedback.importing import FIELD_LABELS, FileSettings
from pulso.feedback.models import LISTED_SOURCES, UNSOLICITED_SOURCES
from pulso.journeys.models import Channel, Touchpoint

DATE_ORDERS = [
    ("", _("Only dates that cannot be misread (ISO, or day above 12)")),
    ("dmy", _("Day/month/year (31/12/2024)")),
    ("mdy", _("Month/day/year (12/31/2024)")),
    ("ymd", _("Year/month/day (2024/12/31)")),
]


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
        choices=_no_choice(_("All")) + LISTED_SOURCES,
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


class UploadForm(CleanTextMixin, forms.Form):
    file = UploadField(
        max_mb=50,
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


class MappingForm(CleanTextMixin, forms.Form):
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
        self.fields["date_order"] = forms.ChoiceField(
            label=_("Order of the dates in the file"),
            choices=DATE_ORDERS,
            required=False,
            initial="",
        )
        self.fields["rating_scale"] = forms.RegexField(
            label=_("Rating scale of the file"), regex=r"^\s*\d{1,3}\s*-\s*\d{1,3}\s*$",
            required=False, help_text=_("e.g. 0-10 or 1-5; empty: the rating scale column or 1-5"),
            initial="",
        )  # fmt: skip
        self.fields["reverse_rating"] = forms.BooleanField(
            label=_("The lowest number is the best rating"), required=False, initial=False
        )

    def mapping(self) -> dict[str, int]:
        return {
            name: int(value)
            for name, value in self.cleaned_data.items()
            if name in FIELD_LABELS and value != ""
        }

    def settings(self) -> FileSettings:
        """How the whole file is read (date order, rating scale and direction)."""
        data = self.cleaned_data
        scale = None
        if data.get("rating_scale"):
            low, high = (int(part) for part in data["rating_scale"].split("-"))
            scale = (low, high) if low < high else None
        return FileSettings(data.get("date_order") or "", scale, bool(data.get("reverse_rating")))
