"""Forms of the closed loop: rules (conditions built from fields or written as JSON), cases."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from pulso.accounts.models import Membership, OrgUnit, Role
from pulso.core import access
from pulso.core.access import AnyUser
from pulso.core.forms import CleanTextMixin
from pulso.journeys.models import Channel as TouchpointChannel
from pulso.journeys.models import Journey, Touchpoint
from pulso.loop.conditions import validate_conditions
from pulso.loop.messages import PLACEHOLDERS
from pulso.loop.models import Case, Priority, Rule
from pulso.surveys.models import Channel as ResponseChannel
from pulso.textanalytics.models import Topic

WORK = "loop.work_case"

NPS_GROUP_CHOICES = [
    ("detractor", _("Detractors (0–6)")),
    ("passive", _("Passives (7–8)")),
    ("promoter", _("Promoters (9–10)")),
]
SENTIMENT_CHOICES = [
    ("negative", _("Negative")),
    ("neutral", _("Neutral")),
    ("positive", _("Positive")),
]
KIND_CHOICES = [("response", _("Survey responses")), ("feedback_item", _("Unsolicited feedback"))]


def channel_choices() -> list[tuple[str, Any]]:
    seen: dict[str, Any] = {}
    for value, label in [*TouchpointChannel.choices, *ResponseChannel.choices]:
        seen.setdefault(value, label)
    return list(seen.items())


def _words(text: str) -> list[str]:
    return [part.strip() for part in text.replace("\n", ",").split(",") if part.strip()]


def assignable_users(actor: AnyUser) -> QuerySet[Any]:
    """People who may work on cases in the units where the actor may."""
    units = OrgUnit.objects.restrict(actor, WORK)
    members = Membership.objects.filter(unit__in=units, role__in=access.roles_with(WORK))
    return (
        get_user_model()
        .objects.filter(is_active=True, pk__in=members.values("user_id"))
        .order_by("first_name", "last_name", "username")
    )


class ConditionFields(CleanTextMixin, forms.Form):
    """The structured editor of ``Rule.conditions``."""

    cond_kind = forms.MultipleChoiceField(
        label=_("Kind of feedback"), choices=KIND_CHOICES, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    cond_nps_group = forms.MultipleChoiceField(
        label=_("NPS group"), choices=NPS_GROUP_CHOICES, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    cond_csat_min = forms.IntegerField(
        label=_("CSAT from"), min_value=1, max_value=5, required=False
    )
    cond_csat_max = forms.IntegerField(
        label=_("CSAT up to"), min_value=1, max_value=5, required=False
    )
    cond_ces_min = forms.IntegerField(label=_("CES from"), min_value=1, max_value=7, required=False)
    cond_ces_max = forms.IntegerField(
        label=_("CES up to"), min_value=1, max_value=7, required=False
    )
    cond_sentiment = forms.MultipleChoiceField(
        label=_("Sentiment"), choices=SENTIMENT_CHOICES, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    cond_topics = forms.ModelMultipleChoiceField(
        label=_("Topics"), queryset=Topic.objects.filter(is_active=True), required=False,
        to_field_name="slug",
    )  # fmt: skip
    cond_keywords = forms.CharField(
        label=_("Keywords or phrases"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line or separated by commas; accents, case and word endings are "
                    "ignored (“cancelar” also finds “cancelación”)."),
    )  # fmt: skip
    cond_touchpoints = forms.ModelMultipleChoiceField(
        label=_("Touchpoints"), queryset=Touchpoint.objects.filter(is_archived=False),
        required=False,
    )  # fmt: skip
    cond_journeys = forms.ModelMultipleChoiceField(
        label=_("Journeys"), queryset=Journey.objects.filter(is_archived=False), required=False
    )
    cond_channels = forms.MultipleChoiceField(
        label=_("Channels"), choices=channel_choices, required=False
    )
    cond_org_units = forms.ModelMultipleChoiceField(
        label=_("Org units (and the units below them)"), queryset=OrgUnit.objects.all(),
        required=False,
    )  # fmt: skip
    cond_segments = forms.CharField(
        label=_("Customer segments"), required=False, help_text=_("Separated by commas.")
    )
    cond_value_min = forms.DecimalField(label=_("Customer value from (€/year)"), required=False)
    cond_value_max = forms.DecimalField(label=_("Customer value up to (€/year)"), required=False)


def conditions_from_fields(data: dict[str, Any]) -> dict[str, Any]:
    """Build the conditions JSON from the cleaned structured fields."""
    conditions: dict[str, Any] = {}
    lists = {
        "kind": data.get("cond_kind"),
        "nps_group": data.get("cond_nps_group"),
        "sentiment": data.get("cond_sentiment"),
        "topics": [t.slug for t in data.get("cond_topics") or []],
        "keywords": _words(data.get("cond_keywords") or ""),
        "touchpoints": [t.pk for t in data.get("cond_touchpoints") or []],
        "journeys": [j.pk for j in data.get("cond_journeys") or []],
        "channels": data.get("cond_channels"),
        "org_units": [u.pk for u in data.get("cond_org_units") or []],
        "segments": _words(data.get("cond_segments") or ""),
    }
    conditions.update({key: list(value) for key, value in lists.items() if value})
    for key, prefix in (
        ("csat", "cond_csat"),
        ("ces", "cond_ces"),
        ("customer_value", "cond_value"),
    ):
        bounds = {
            end: float(data[f"{prefix}_{end}"])
            for end in ("min", "max")
            if data.get(f"{prefix}_{end}") is not None
        }
        if bounds:
            conditions[key] = bounds
    return conditions


def initial_from_conditions(conditions: dict[str, Any]) -> dict[str, Any]:
    initial: dict[str, Any] = {f"cond_{key}": conditions.get(key) for key in (
        "kind", "nps_group", "sentiment", "topics", "touchpoints", "journeys", "channels",
        "org_units")}  # fmt: skip
    initial["cond_keywords"] = "\n".join(conditions.get("keywords", []))
    initial["cond_segments"] = ", ".join(conditions.get("segments", []))
    for key, prefix in (
        ("csat", "cond_csat"),
        ("ces", "cond_ces"),
        ("customer_value", "cond_value"),
    ):
        for end in ("min", "max"):
            initial[f"{prefix}_{end}"] = (conditions.get(key) or {}).get(end)
    return initial


class RuleForm(ConditionFields, forms.ModelForm):  # type: ignore[type-arg]
    conditions_json = forms.CharField(
        label=_("Advanced conditions (JSON)"), required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text=_("If filled in, replaces the conditions above, e.g. "
                    "{\"nps_group\": [\"detractor\"], \"keywords\": [\"darme de baja\"]}."),
    )  # fmt: skip
    notify_role = forms.ChoiceField(
        label=_("Notify the role"), choices=[("", "—"), *Role.choices], required=False
    )

    class Meta:
        model = Rule
        fields = [
            "name", "description", "is_active", "position", "action", "case_priority",
            "case_unit", "target_unit", "notify_role", "notify_users", "webhook",
            "subject_es", "body_es", "subject_en", "body_en",
        ]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial.update(initial_from_conditions(self.instance.conditions or {}))
        names = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
        self.fields["body_es"].help_text = _("Placeholders: %(names)s") % {"names": names}

    # Fields shown only for some actions (the editor hides the others; without scripts all show).
    ACTION_FIELDS = {
        "case_priority": ["open_case"],
        "case_unit": ["open_case"],
        "target_unit": ["open_case"],
        "notify_role": ["notify"],
        "notify_users": ["notify"],
        "webhook": ["webhook"],
        "subject_es": ["thank_you", "apology"],
        "body_es": ["thank_you", "apology"],
        "subject_en": ["thank_you", "apology"],
        "body_en": ["thank_you", "apology"],
    }

    def sections(self) -> list[dict[str, Any]]:
        """The editor's parts: the rule, when it applies, what it does (and the JSON escape)."""
        condition_names = [name for name in self.fields if name.startswith("cond_")]
        action_names = ["action", *self.ACTION_FIELDS]
        rule_names = ["name", "description", "is_active", "position"]
        return [
            {"legend": _("Rule"), "fields": [self[name] for name in rule_names]},
            {"legend": _("When"), "fields": [self[name] for name in condition_names]},
            {
                "legend": _("Then"),
                "fields": [
                    (self[name], " ".join(self.ACTION_FIELDS.get(name, [])))
                    for name in action_names
                ],
                "by_action": True,
            },
            {"legend": _("Advanced"), "fields": [self["conditions_json"]], "collapsed": True},
        ]

    def clean_conditions_json(self) -> dict[str, Any] | None:
        raw = self.cleaned_data.get("conditions_json", "").strip()
        if not raw:
            return None
        try:
            value = json.loads(raw)
        except ValueError as exc:  # a JSONDecodeError, or a number too long to convert
            raise ValidationError(
                _("This is not valid JSON: %(error)s"), params={"error": exc}
            ) from None
        validate_conditions(value)
        return value  # type: ignore[no-any-return]

    def _post_clean(self) -> None:
        written = self.cleaned_data.get("conditions_json")
        conditions = written if written is not None else conditions_from_fields(self.cleaned_data)
        self.instance.conditions = conditions
        try:
            validate_conditions(conditions)
        except ValidationError as exc:
            self.add_error("conditions_json" if written is not None else None, exc)
        super()._post_clean()  # type: ignore[misc]


class CaseStatusForm(CleanTextMixin, forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    resolution = forms.CharField(
        label=_("Resolution"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to resolve the case: what was done for the customer."),
    )  # fmt: skip
    note = forms.CharField(label=_("Comment"), required=False, widget=forms.TextInput)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Case.Status.choices)
        status_field = self.fields["status"]
        assert isinstance(status_field, forms.ChoiceField)
        status_field.choices = [(s, labels[s]) for s in case.allowed_transitions()]
        self.fields["resolution"].initial = case.resolution


class CaseContactForm(CleanTextMixin, forms.Form):
    """Write to the case's customer from a template (the message may be rewritten)."""

    template = forms.ChoiceField(label=_("Template"))
    message = forms.CharField(
        label=_("Message"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Leave it empty to send the template as it is."),
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from pulso.loop.defaults import CONTACT_TEMPLATES

        super().__init__(*args, **kwargs)
        field = self.fields["template"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(key, t["label"]) for key, t in CONTACT_TEMPLATES.items()]


class CaseNoteForm(CleanTextMixin, forms.Form):
    text = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class CaseDetailsForm(CleanTextMixin, forms.Form):
    owner: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Owner"), queryset=get_user_model().objects.none(), required=False
    )
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)
    root_cause = forms.ModelChoiceField(
        label=_("Root cause"), queryset=Topic.objects.filter(is_active=True), required=False
    )

    def __init__(self, *args: Any, actor: AnyUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = assignable_users(actor)  # type: ignore[attr-defined]


class BulkAssignForm(CleanTextMixin, forms.Form):
    cases = forms.ModelMultipleChoiceField(label=_("Cases"), queryset=Case.objects.none())
    owner: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Assign to"), queryset=get_user_model().objects.none()
    )

    def __init__(self, *args: Any, actor: AnyUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cases"].queryset = Case.objects.restrict(actor, WORK)  # type: ignore[attr-defined]
        self.fields["owner"].queryset = assignable_users(actor)  # type: ignore[attr-defined]


class RecoveryForm(CleanTextMixin, forms.Form):
    resolved = forms.TypedChoiceField(
        label=_("Have we solved your problem?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    score = forms.TypedChoiceField(
        label=_("How likely are you to recommend us to a friend or colleague? (0–10)"),
        choices=[(str(n), str(n)) for n in range(11)], coerce=int, widget=forms.RadioSelect,
    )  # fmt: skip
    comment = forms.CharField(
        label=_("Anything else you want to tell us?"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
    )  # fmt: skip
