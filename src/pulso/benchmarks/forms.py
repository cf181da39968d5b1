"""The benchmark pages' own choices (beside the dashboards' filters) and the reference upload."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pulso.accounts.models import OrgUnit
from pulso.benchmarks.comparisons import METRICS
from pulso.benchmarks.internal import DIMENSIONS
from pulso.core.forms import CleanTextMixin, UploadField


class BenchmarkForm(forms.Form):
    """What to compare (GET parameters); unknown values are form errors, never a 500."""

    metric = forms.ChoiceField(label=_("Metric"), choices=list(METRICS.items()), required=False)
    dimension = forms.ChoiceField(
        label=_("Compare"), choices=list(DIMENSIONS.items()), required=False
    )
    kind = forms.ChoiceField(label=_("Kind of unit"), choices=OrgUnit.Kind.choices, required=False)

    def value(self, name: str, default: str) -> str:
        """The validated choice, or ``default`` when not given."""
        return (self.cleaned_data.get(name) if self.is_valid() else None) or default


class ReferenceFileForm(CleanTextMixin, forms.Form):
    file = UploadField(
        max_mb=5,
        label=_("Reference values file"),
        help_text=_(
            "CSV or Excel (XLSX) with a header row: metric, sector, value, source and date are "
            "required; interaction type, channel, touchpoint, base (n) and notes are optional. "
            "Decimal commas are accepted."
        ),
    )
