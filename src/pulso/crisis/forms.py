"""Forms of the crisis room; choices are limited to what the person may see."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pulso.accounts.models import OrgUnit
from pulso.crisis import messages
from pulso.crisis.models import Incident, IncidentMessage
from pulso.journeys.models import Touchpoint
from pulso.textanalytics.models import Topic


class IncidentForm(forms.Form):
    """Open an incident by hand."""

    title = forms.CharField(label=_("Title"), max_length=200)
    unit = forms.ModelChoiceField(label=_("Org unit"), queryset=OrgUnit.objects.none())
    started_at = forms.DateTimeField(
        label=_("Started"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"), queryset=Topic.objects.filter(parent=None), required=False,
        help_text=_("Customers who mentioned it in the incident's window are affected."),
    )  # fmt: skip
    touchpoint = forms.ModelChoiceField(
        label=_("Touchpoint"), queryset=Touchpoint.objects.all(), required=False,
        help_text=_("Customers who passed through it in the incident's window are affected."),
    )  # fmt: skip
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = OrgUnit.objects.visible_to(user).filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["started_at"].initial = timezone.localtime().replace(second=0, microsecond=0)

    def clean_started_at(self) -> Any:
        started = self.cleaned_data["started_at"]
        if started > timezone.now():
            raise forms.ValidationError(_("An incident cannot start in the future."))
        return started


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Incident.Status.choices)
    resolution = forms.CharField(
        label=_("Resolution"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
        help_text=_("Needed to resolve the incident."),
    )  # fmt: skip
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class AssignForm(forms.Form):
    owner = forms.ModelChoiceField(
        label=_("Owner"), queryset=get_user_model().objects.none(), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = get_user_model().objects.filter(is_active=True, memberships__isnull=False)
        self.fields["owner"].queryset = people.distinct().order_by("username")  # type: ignore[attr-defined]


class MessageForm(forms.Form):
    template = forms.ChoiceField(label=_("Template"), choices=messages.template_choices)
    channel = forms.ChoiceField(label=_("Channel"), choices=IncidentMessage.Channel.choices)


class PostmortemForm(forms.Form):
    postmortem = forms.CharField(
        label=_("Post-mortem"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20_000,
        help_text=_("What happened, why, what was done and what will prevent it next time."),
    )  # fmt: skip
