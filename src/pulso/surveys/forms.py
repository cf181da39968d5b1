"""Forms of the survey builder."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from pulso.accounts.models import OrgUnit
from pulso.core import access
from pulso.core.access import AnyUser
from pulso.core.forms import CleanTextMixin
from pulso.journeys.models import Touchpoint
from pulso.surveys.defaults import TEMPLATE_CHOICES
from pulso.surveys.models import Question, SurveyVersion

# Names the public form already uses for its own fields.
RESERVED_KEYS = frozenset({"page", "progress", "leave_blank", "next", "back", "c", "lang"})

NPS_GROUPS = [
    ("detractor", _("Detractors (0–6)")),
    ("passive", _("Passives (7–8)")),
    ("promoter", _("Promoters (9–10)")),
]


class TouchpointField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.stage.journey.name} · {obj.name}"


class SurveyCreateForm(CleanTextMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    touchpoint = TouchpointField(
        label=_("Touchpoint"),
        queryset=Touchpoint.objects.filter(is_archived=False).select_related("stage__journey"),
    )
    org_unit = forms.ModelChoiceField(
        label=_("Org unit"),
        queryset=OrgUnit.objects.filter(is_active=True),
        required=False,
        help_text=_("Leave empty for a company-wide survey."),
    )
    template = forms.ChoiceField(
        label=_("Start from"), choices=TEMPLATE_CHOICES, initial="nps", widget=forms.RadioSelect
    )
    anonymous = forms.BooleanField(
        label=_("Anonymous"),
        required=False,
        help_text=_(
            "Completed responses keep no link to a customer, an invitation or its token. "
            "Closed-loop cases cannot contact the respondent."
        ),
    )

    def __init__(self, *args: Any, user: AnyUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        units = self.fields["org_unit"].queryset.restrict(user, "surveys.change_survey")  # type: ignore[attr-defined]
        self.fields["org_unit"].queryset = units  # type: ignore[attr-defined]

    def clean_org_unit(self) -> OrgUnit | None:
        unit: OrgUnit | None = self.cleaned_data["org_unit"]
        if unit is None and not access.can(self.user, "surveys.change_survey", access.COMPANY):
            raise forms.ValidationError(_("Choose one of your units."))
        return unit


class VersionTextsForm(CleanTextMixin, forms.ModelForm[SurveyVersion]):
    class Meta:
        model = SurveyVersion
        fields = ["title_es", "title_en", "intro_es", "intro_en", "thanks_es", "thanks_en"]
        widgets = {
            name: forms.Textarea(attrs={"rows": 2})
            for name in ["intro_es", "intro_en", "thanks_es", "thanks_en"]
        }


def choices_to_text(choices: list[dict[str, str]]) -> str:
    lines = (f"{c.get('value', '')} | {c.get('es', '')} | {c.get('en', '')}" for c in choices)
    return "\n".join(lines)


def parse_choices(text: str) -> list[dict[str, str]]:
    """One option a line: "Spanish", "Spanish | English" or "value | Spanish | English"."""
    choices: list[dict[str, str]] = []
    for line in text.splitlines():
        parts = [part.strip() for part in line.split("|")]
        if not parts[0]:
            continue
        if len(parts) >= 3:
            value, es, en = parts[0], parts[1], parts[2]
        else:
            es, en = parts[0], parts[1] if len(parts) > 1 else ""
            value = slugify(es)[:50]
        choices.append({"value": slugify(value)[:50] or str(len(choices) + 1), "es": es, "en": en})
    return choices


class QuestionForm(CleanTextMixin, forms.ModelForm[Question]):
    """One question of a draft version, with its options and display condition."""

    choices_text = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One option a line: “Spanish | English” (or “value | Spanish | English”)."),
    )
    condition_question = forms.ChoiceField(label=_("Show only if the answer to"), required=False)
    condition_groups = forms.MultipleChoiceField(
        label=_("is from"),
        choices=NPS_GROUPS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    condition_values = forms.CharField(
        label=_("or is one of these option values"),
        required=False,
        help_text=_("Comma-separated values, for single or multiple choice questions."),
    )

    class Meta:
        model = Question
        fields = ["kind", "text_es", "text_en", "key", "required", "scale_min", "scale_max"]
        help_texts = {
            "key": _("Short identifier kept across versions (letters, numbers, - and _)."),
            "scale_min": _("Only for rating scales (default 1–5)."),
        }

    def __init__(self, *args: Any, version: SurveyVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.version = version
        self.fields["key"].required = False
        self.earlier = self._earlier_questions()
        field = self.fields["condition_question"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("(always show)"))] + [
            (q.key, f"{q.key}: {q.text_es[:60]}") for q in self.earlier.values()
        ]
        if self.instance.pk:
            self._initial_from_instance()

    def _earlier_questions(self) -> dict[str, Question]:
        questions = self.version.questions.all()
        if self.instance.pk:
            questions = questions.filter(position__lt=self.instance.position)
        return {q.key: q for q in questions if q.kind in ("nps", "single", "multiple")}

    def _initial_from_instance(self) -> None:
        condition = self.instance.show_if or {}
        self.initial["choices_text"] = choices_to_text(self.instance.choices or [])
        self.initial["condition_question"] = condition.get("question", "")
        self.initial["condition_groups"] = condition.get("groups", [])
        self.initial["condition_values"] = ", ".join(condition.get("values", []))

    def clean_key(self) -> str:
        key = slugify(self.cleaned_data.get("key") or "").replace("-", "_")[:50]
        if not key:
            key = slugify(self.cleaned_data.get("text_es", ""))[:30].replace("-", "_") or "q"
            key = self._unique(key if key not in RESERVED_KEYS else f"{key}_q")
        if key in RESERVED_KEYS:
            raise forms.ValidationError(_("This key is reserved; choose another one."))
        others = self.version.questions.exclude(pk=self.instance.pk)
        if others.filter(key=key).exists():
            raise forms.ValidationError(_("Another question of this version uses this key."))
        return key

    def _unique(self, base: str) -> str:
        taken = set(self.version.questions.values_list("key", flat=True))
        key, n = base, 2
        while key in taken:
            key, n = f"{base}_{n}", n + 1
        return key

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        data["choices"] = parse_choices(data.get("choices_text", ""))
        if kind in ("single", "multiple") and not data["choices"]:
            self.add_error("choices_text", _("Add at least one option."))
        if kind != "rating":
            data["scale_min"] = data["scale_max"] = None
        elif (data.get("scale_min") or 1) >= (data.get("scale_max") or 5):
            self.add_error("scale_max", _("The maximum must be greater than the minimum."))
        data["show_if"] = self._condition(data)
        return data

    def _condition(self, data: dict[str, Any]) -> dict[str, Any]:
        target = self.earlier.get(data.get("condition_question") or "")
        if target is None:
            return {}
        if target.kind == "nps":
            if not data.get("condition_groups"):
                self.add_error("condition_groups", _("Choose at least one NPS group."))
            return {"question": target.key, "groups": data.get("condition_groups", [])}
        values = [v.strip() for v in (data.get("condition_values") or "").split(",") if v.strip()]
        known = {c.get("value") for c in target.choices or []}
        if not values or not set(values) <= known:
            self.add_error(
                "condition_values",
                _("Use option values of “%(key)s”: %(values)s.")
                % {"key": target.key, "values": ", ".join(sorted(str(k) for k in known))},
            )
        return {"question": target.key, "values": values}

    def question_fields(self) -> dict[str, Any]:
        """The Question fields to pass to the actions."""
        data = self.cleaned_data
        names = ["kind", "text_es", "text_en", "key", "required", "scale_min", "scale_max"]
        return {name: data[name] for name in names} | {
            "choices": data["choices"],
            "show_if": data["show_if"],
        }
