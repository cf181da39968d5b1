from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pulso.accounts.models import OrgUnit
from pulso.alerts.models import AlertKind, Delivery


class AlertSubscriptionForm(forms.Form):
    """Subscribe to (or, unticking "active", leave) one kind of alert of a unit one may see."""

    kind = forms.ChoiceField(label=_("Alert"), choices=AlertKind.choices)
    unit = forms.ModelChoiceField(label=_("Org unit"), queryset=OrgUnit.objects.none())
    words = forms.CharField(
        label=_("Watched words"),
        required=False,
        max_length=500,
        help_text=_("Comma-separated; empty means abogado, denuncia, OCU, darme de baja."),
    )
    delivery = forms.ChoiceField(
        label=_("Send"), choices=Delivery.choices, initial=Delivery.NOW, required=False
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = OrgUnit.objects.visible_to(user).filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]

    def clean_delivery(self) -> str:
        return self.cleaned_data.get("delivery") or Delivery.NOW
