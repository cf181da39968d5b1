from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from pulso.accounts.models import OrgUnit
from pulso.reports.models import ReportSubscription


class ReportSubscriptionForm(forms.Form):
    """The weekly report of a unit one may see, in a language; untick "active" to stop it."""

    unit = forms.ModelChoiceField(label=_("Org unit"), queryset=OrgUnit.objects.none())
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, initial="es")
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = OrgUnit.objects.visible_to(user).filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class PreviewForm(forms.Form):
    subscription = forms.ModelChoiceField(
        label=_("Report"), queryset=ReportSubscription.objects.none()
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        own = ReportSubscription.objects.filter(user=user)
        self.fields["subscription"].queryset = own  # type: ignore[attr-defined]
