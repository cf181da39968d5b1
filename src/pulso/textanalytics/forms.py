"""Forms of the text analytics pages: topics and their rules, rule tests, theme promotion."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pulso.accounts.models import OrgUnit
from pulso.core.forms import CleanTextMixin
from pulso.textanalytics.models import Topic
from pulso.textanalytics.rule_messages import rule_error

RULE_HELP = _(
    "Words match their inflections and ignore accents. Operators: AND, OR, NOT, NEAR/n, "
    '"exact phrase", prefix* and parentheses. Example: (entrega OR reparto) NEAR/4 tarde'
)
LANGUAGES = [("es", _("Spanish")), ("en", _("English"))]


class RuleField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 3, "spellcheck": "false"})

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and (message := rule_error(value)):
            raise forms.ValidationError(message, code="rule_syntax")


class TopicForm(CleanTextMixin, forms.ModelForm):  # type: ignore[type-arg]
    rule_es = RuleField(label=_("Rule (Spanish)"), required=False, help_text=RULE_HELP)
    rule_en = RuleField(label=_("Rule (English)"), required=False)

    class Meta:
        model = Topic
        fields = ["name_es", "name_en", "parent", "rule_es", "rule_en", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Two levels: a parent is a main topic, and never the topic itself.
        parents = Topic.objects.filter(parent__isnull=True).order_by("name_es")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]
        self.fields["parent"].required = False

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not (cleaned.get("rule_es") or cleaned.get("rule_en")) and not self.errors:
            raise forms.ValidationError(_("Write a rule in at least one language."))
        return cleaned  # the taxonomy's shape is checked by Topic.clean()

    def topic_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class RuleTestForm(CleanTextMixin, forms.Form):
    rule = forms.CharField(label=_("Rule"), max_length=2_000)
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGES, initial="es")


class PromoteThemeForm(CleanTextMixin, forms.Form):
    name_es = forms.CharField(label=_("Topic name (Spanish)"), max_length=120)
    name_en = forms.CharField(label=_("Topic name (English)"), max_length=120, required=False)
    parent = forms.ModelChoiceField(
        label=_("Parent topic"),
        queryset=Topic.objects.filter(parent__isnull=True).order_by("name_es"),
        required=False,
    )
    rule_es = RuleField(label=_("Rule (Spanish)"), help_text=RULE_HELP)


class CommentSearchForm(forms.Form):
    q = forms.CharField(label=_("Find comments containing"), max_length=100, required=False)


SUMMARY_DAYS = 30
MAX_SUMMARY_DAYS = 366


class SummaryForm(forms.Form):
    """Which comments to summarise: an org unit one may see, a topic and a period (by default
    the last 30 days)."""

    unit = forms.ModelChoiceField(
        label=_("Org unit"), queryset=OrgUnit.objects.none(), required=False
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.filter(is_active=True, parent__isnull=True).order_by("name_es"),
        required=False,
    )
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = OrgUnit.objects.visible_to(user).filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units.order_by("path")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        today = timezone.localdate()
        end: date = cleaned.get("end") or today
        start: date = cleaned.get("start") or end - timedelta(days=SUMMARY_DAYS)
        if start > end:
            self.add_error("start", _("The start date must be on or before the end date."))
        elif (end - start).days > MAX_SUMMARY_DAYS:
            self.add_error("start", _("Summarise at most a year at a time."))
        cleaned["start"], cleaned["end"] = start, end
        return cleaned
