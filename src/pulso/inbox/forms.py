from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from pulso.accounts.models import OrgUnit
from pulso.core.access import restrict
from pulso.inbox.models import Article, CannedAnswer


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Your answer"),
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write the answer before sending it.")},
    )


class AssignForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Team"), queryset=OrgUnit.objects.none(), required=False, empty_label=_("Company")
    )
    person = forms.ModelChoiceField(
        label=_("Person"), queryset=User.objects.none(), required=False, empty_label=_("Nobody")
    )

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = restrict(OrgUnit.objects.all(), actor, "inbox.work_conversation")
        self.fields["unit"].queryset = units.order_by("path")  # type: ignore[attr-defined]
        self.fields["person"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(is_active=True, memberships__unit__in=units)
            .distinct()
            .order_by("username")
        )


class ArticleForm(forms.Form):
    slug = forms.SlugField(label=_("Identifier"), max_length=80)
    language = forms.ChoiceField(label=_("Language"), choices=Article.Language.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 6}))
    questions = forms.CharField(
        label=_("Example questions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One a line: how customers ask this. The assistant learns from them."),
    )
    is_published = forms.BooleanField(label=_("Published"), required=False, initial=True)


class HandoverForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("To the team"),
        queryset=OrgUnit.objects.order_by("path"),
        required=False,
        empty_label=_("Company"),
    )
    note = forms.CharField(
        label=_("Note for the team"),
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Tell the team why you hand it over.")},
    )


class CannedAnswerForm(forms.ModelForm[CannedAnswer]):
    class Meta:
        model = CannedAnswer
        fields = ["title", "text", "language", "org_unit"]
        widgets = {"text": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = self.fields["org_unit"]
        units.queryset = OrgUnit.objects.order_by("path")  # type: ignore[attr-defined]
        units.empty_label = _("Whole company")  # type: ignore[attr-defined]


class CannedChoiceForm(forms.Form):
    answer = forms.ModelChoiceField(queryset=CannedAnswer.objects.none())
