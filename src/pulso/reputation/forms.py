"""Forms of brand reputation: the page filters, feeds, brands and a reply."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pulso.accounts.models import OrgUnit
from pulso.core.access import AnyUser
from pulso.feedback.api import day_start
from pulso.metrics.filters import MAX_RANGE_DAYS, default_range
from pulso.reputation.models import Brand, Feed, Mention

GROUPING = [("month", _("Month")), ("week", _("Week"))]


@dataclass(frozen=True)
class MentionFilter:
    start: date
    end: date
    by: str = "month"
    network: str = ""
    unit: OrgUnit | None = None

    def apply(self, mentions: QuerySet[Mention]) -> QuerySet[Mention]:
        """The mentions of the period, site and unit (with its subtree)."""
        mentions = mentions.filter(
            feedback__received_at__gte=day_start(self.start),
            feedback__received_at__lt=day_start(self.end + timedelta(days=1)),
        )
        if self.network:
            mentions = mentions.filter(network=self.network)
        if self.unit is not None:
            mentions = mentions.filter(feedback__org_unit__path__startswith=self.unit.path)
        return mentions


class MentionFilterForm(forms.Form):
    """Period, grouping, site or network, and org unit (GET parameters)."""

    start = forms.DateField(label=_("From"), required=False)
    end = forms.DateField(label=_("To"), required=False)
    by = forms.ChoiceField(label=_("Group by"), choices=GROUPING, required=False)
    network = forms.ChoiceField(label=_("Site or network"), required=False)
    unit = forms.ModelChoiceField(
        label=_("Org unit"), queryset=OrgUnit.objects.none(), to_field_name="code", required=False
    )

    def __init__(self, data: Any, user: AnyUser, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.visible_to(user)  # type: ignore[attr-defined]
        networks = (
            Mention.objects.visible_to(user).exclude(network="").order_by("network")
            .values_list("network", flat=True).distinct()
        )  # fmt: skip
        choices = [("", _("All sites and networks")), *((n, n) for n in networks)]
        self.fields["network"].choices = choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        end = data.get("end") or timezone.localdate()
        start = data.get("start") or default_range(end)[0]
        if "start" not in self.errors and "end" not in self.errors:
            if start > end:
                raise forms.ValidationError(_("The start date must not be after the end date."))
            if (end - start).days > MAX_RANGE_DAYS:
                raise forms.ValidationError(_("Choose a period of five years at most."))
        data["start"], data["end"] = start, end
        return data

    def mention_filter(self) -> MentionFilter:
        """The validated filter (the default one when the form has errors)."""
        if not self.is_valid():
            start, end = default_range()
            return MentionFilter(start, end)
        data = self.cleaned_data
        return MentionFilter(
            data["start"], data["end"], data.get("by") or "month", data.get("network") or "",
            data.get("unit"),
        )  # fmt: skip


class FeedForm(forms.ModelForm):
    url = forms.URLField(label=_("feed address"), max_length=500, assume_scheme="https")

    class Meta:
        model = Feed
        fields = ["url", "source", "source_name", "org_unit", "language", "is_active"]


class BrandForm(forms.ModelForm):
    class Meta:
        model = Brand
        fields = ["name", "aliases", "is_own"]
        widgets = {"aliases": forms.Textarea(attrs={"rows": 3})}

    def clean_is_own(self) -> bool:
        is_own = bool(self.cleaned_data.get("is_own"))
        others = Brand.objects.filter(is_own=True).exclude(pk=self.instance.pk)
        if is_own and others.exists():
            raise forms.ValidationError(_("Another brand is already marked as ours."))
        return is_own


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Public reply"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
