"""Forms of the customers pages: search, file upload, column mapping."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pulso.core.forms import CleanTextMixin, UploadField
from pulso.customers.importing import FIELD_LABELS


class CustomerSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    segment = forms.ChoiceField(label=_("Segment"), required=False)

    def __init__(self, *args: Any, segments: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("All segments"))] + [(s, s) for s in segments]
        self.fields["segment"].choices = choices  # type: ignore[attr-defined]


class CustomerFileForm(CleanTextMixin, forms.Form):
    file = UploadField(
        max_mb=20,
        label=_("Customer file"),
        help_text=_(
            "CSV (comma or semicolon, UTF-8 or Latin-1) or Excel (XLSX), with a header row. "
            "A customer id column is required; customers with the same id are updated."
        ),
    )


class ColumnMappingForm(CleanTextMixin, forms.Form):
    """One select per customer field: which column of the file holds it."""

    def __init__(
        self, *args: Any, headers: list[str], initial_mapping: dict[str, int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, Any]] = [("", _("— not in the file —"))]
        choices += [(str(i), header or f"#{i + 1}") for i, header in enumerate(headers)]
        for target, label in FIELD_LABELS.items():
            self.fields[target] = forms.ChoiceField(
                label=label,
                choices=choices,
                required=target == "external_id",
                initial=str(initial_mapping[target]) if target in initial_mapping else "",
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        used = [value for value in data.values() if value not in ("", None)]
        if len(used) != len(set(used)):
            raise forms.ValidationError(_("Each column can be used for one field only."))
        return data

    def mapping(self) -> dict[str, int]:
        return {k: int(v) for k, v in self.cleaned_data.items() if v not in ("", None)}


class ActionFileForm(CleanTextMixin, forms.Form):
    file = UploadField(
        max_mb=20,
        label=_("Customer actions file"),
        help_text=_(
            "CSV or Excel (XLSX) with a header row: action id, customer, kind, date are required; "
            "amount, product, channel, campaign and unit are optional. An action sent again "
            "with the same id is updated."
        ),
    )
    date_order = forms.ChoiceField(
        label=_("Dates in the file"),
        choices=[
            ("dmy", _("day/month/year")),
            ("mdy", _("month/day/year")),
            ("ymd", _("year/month/day")),
        ],
        initial="dmy",
    )
