"""A rule read as one sentence in the active language:

"Si llega una respuesta de encuesta de un detractor que menciona «darme de baja» → abrir un caso
en la unidad donde el cliente vivió la experiencia, prioridad alta".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from pulso.accounts.models import OrgUnit
from pulso.journeys.models import Journey, Touchpoint
from pulso.loop.conditions import validate_conditions
from pulso.loop.forms import channel_choices
from pulso.loop.models import Priority, Rule
from pulso.textanalytics.models import Topic


def _or(items: Iterable[str]) -> str:
    """ "a", "a o b", "a, b o c" (in English "or")."""
    words = [str(item) for item in items]
    if len(words) <= 1:
        return "".join(words)
    return _("%(first)s or %(last)s") % {"first": ", ".join(words[:-1]), "last": words[-1]}


def _range(name: str, bounds: dict[str, Any]) -> str:
    low, high = bounds.get("min"), bounds.get("max")
    low_text = "" if low is None else f"{low:g}"
    high_text = "" if high is None else f"{high:g}"
    if low is not None and high is not None:
        return _("with %(name)s from %(low)s to %(high)s") % {
            "name": name, "low": low_text, "high": high_text,
        }  # fmt: skip
    if low is not None:
        return _("with %(name)s of %(low)s or more") % {"name": name, "low": low_text}
    return _("with %(name)s of %(high)s or less") % {"name": name, "high": high_text}


def _names(model: Any, ids: list[int], field: str = "name") -> list[str]:
    found = dict(model.objects.filter(pk__in=ids).values_list("pk", field))
    return [str(found.get(pk, f"#{pk}")) for pk in ids]


def _subject(kinds: list[str] | None) -> str:
    if kinds == ["response"]:
        return _("a survey response arrives")
    if kinds == ["feedback_item"]:
        return _("a review, post or other unsolicited feedback arrives")
    return _("a response or any feedback arrives")


def _clauses(conditions: dict[str, Any]) -> list[str]:
    groups = {
        "detractor": _("a detractor"), "passive": _("a passive"), "promoter": _("a promoter"),
    }  # fmt: skip
    feelings = {
        "negative": pgettext("sentiment", "negative"),
        "neutral": pgettext("sentiment", "neutral"),
        "positive": pgettext("sentiment", "positive"),
    }
    clauses = []
    if conditions.get("nps_group"):
        clauses.append(_("from %(who)s") % {"who": _or(groups[g] for g in conditions["nps_group"])})
    for key, name in (("csat", "CSAT"), ("ces", "CES")):
        if conditions.get(key):
            clauses.append(_range(name, conditions[key]))
    if conditions.get("sentiment"):
        feeling = _or(feelings[s] for s in conditions["sentiment"])
        clauses.append(_("with %(feeling)s sentiment") % {"feeling": feeling})
    if conditions.get("topics"):
        named = dict(
            Topic.objects.filter(slug__in=conditions["topics"]).values_list("slug", "name_es")
        )
        topics = _or(named.get(slug, slug) for slug in conditions["topics"])
        clauses.append(_("about %(topics)s") % {"topics": topics})
    if conditions.get("keywords"):
        words = _or(f"«{word}»" for word in conditions["keywords"])
        clauses.append(_("that mentions %(words)s") % {"words": words})
    if conditions.get("touchpoints"):
        names = _or(_names(Touchpoint, conditions["touchpoints"]))
        clauses.append(_("at the touchpoint %(names)s") % {"names": names})
    if conditions.get("journeys"):
        names = _or(_names(Journey, conditions["journeys"]))
        clauses.append(_("in the journey %(names)s") % {"names": names})
    if conditions.get("channels"):
        labels = dict(channel_choices())
        channels = _or(str(labels.get(code, code)).lower() for code in conditions["channels"])
        clauses.append(_("through %(channels)s") % {"channels": channels})
    if conditions.get("org_units"):
        names = _or(_names(OrgUnit, conditions["org_units"]))
        clauses.append(_("in %(units)s or below") % {"units": names})
    if conditions.get("segments"):
        segments = _or(conditions["segments"])
        clauses.append(_("from a customer of the segment %(segments)s") % {"segments": segments})
    if conditions.get("customer_value"):
        clauses.append(_range(_("customer value"), conditions["customer_value"]))
    return clauses


def _case_target(rule: Rule) -> str:
    if rule.case_unit == Rule.CaseUnit.EXPERIENCE:
        return _("in the unit where the customer had the experience")
    if rule.case_unit == Rule.CaseUnit.TOUCHPOINT_OWNER:
        return _("in the unit that owns the touchpoint")
    if rule.case_unit == Rule.CaseUnit.FIXED and rule.target_unit is not None:
        return _("in %(unit)s") % {"unit": rule.target_unit.name}
    return _("in the unit the feedback is about")


def _action(rule: Rule) -> str:
    if rule.action == Rule.Action.OPEN_CASE:
        priority = str(dict(Priority.choices).get(rule.case_priority, rule.case_priority)).lower()
        return _("open a case %(target)s, priority %(priority)s") % {
            "target": _case_target(rule), "priority": priority,
        }  # fmt: skip
    if rule.action == Rule.Action.NOTIFY:
        return _("notify people")
    if rule.action == Rule.Action.THANK_YOU:
        return _("send the customer a thank-you message")
    if rule.action == Rule.Action.APOLOGY:
        return _("send the customer an apology")
    if rule.action == Rule.Action.WEBHOOK:
        name = rule.webhook.name if rule.webhook_id and rule.webhook else ""
        return _("call the webhook %(name)s") % {"name": name} if name else _("call a webhook")
    return str(rule.get_action_display())


def describe(rule: Rule) -> str:
    """The rule as a sentence, in the active language (a row whose conditions were written
    around validation says so: the rules skip it)."""
    conditions = rule.conditions or {}
    try:
        validate_conditions(conditions)
    except ValidationError:
        return _("Its conditions are not valid: it is skipped until they are corrected.")
    clauses = _clauses(conditions)
    when = _subject(conditions.get("kind"))
    if clauses:
        when = " ".join([when, *clauses])
    return _("If %(when)s → %(action)s") % {"when": when, "action": _action(rule)}
