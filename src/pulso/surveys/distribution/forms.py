"""The "invite customers" form: channel, and a segment or an uploaded list."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pulso.core.forms import CleanTextMixin, UploadField


class InviteForm(CleanTextMixin, forms.Form):
    CHANNELS = [("email", _("Email")), ("sms", _("SMS"))]
    SOURCES = [("segment", _("A segment")), ("file", _("An uploaded list"))]

    channel = forms.ChoiceField(label=_("Channel"), choices=CHANNELS, widget=forms.RadioSelect)
    source = forms.ChoiceField(
        label=_("Whom to invite"), choices=SOURCES, initial="segment", widget=forms.RadioSelect
    )
    segment = forms.ChoiceField(label=_("Segment"), required=False)
    file = UploadField(
        max_mb=20,
        label=_("List of customers"),
        required=False,
        help_text=_(
            "CSV or XLSX with a customer id or email column; the customers must already exist."
        ),
    )

    def __init__(self, *args: Any, segments: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("All customers"))] + [(s, s) for s in segments]
        self.fields["segment"].choices = choices  # type: ignore[attr-defined]
