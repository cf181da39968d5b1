"""Rule conditions: a JSON object validated by a schema, and matched against one piece of feedback.

Every key narrows the match (AND); a list inside a key accepts any of its values (OR)::

    {"nps_group": ["detractor"], "keywords": ["darme de baja"], "org_units": [4]}

An empty object matches everything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema
from pydantic import ValidationError as SchemaError

from pulso.textanalytics.engine.normalize import stem, tokenize

NPS_GROUPS = ("detractor", "passive", "promoter")
SENTIMENTS = ("negative", "neutral", "positive")
KINDS = ("response", "feedback_item")


# Ids beyond this overflow the databases' integer columns when looked up.
ObjectId = Annotated[int, Field(ge=1, le=2**62)]


def _some_of(choices: tuple[str, ...]) -> WithJsonSchema:
    """Documented as a list of ``choices``; validation names a wrong value with the choices."""
    return WithJsonSchema({"type": "array", "items": {"type": "string", "enum": list(choices)}})


class Range(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    min: float | None = None
    max: float | None = None


class Conditions(BaseModel):
    """The schema of ``Rule.conditions``."""

    model_config = ConfigDict(extra="forbid")
    kind: Annotated[list[str], _some_of(KINDS)] | None = None
    nps_group: Annotated[list[str], _some_of(NPS_GROUPS)] | None = None
    csat: Range | None = None
    ces: Range | None = None
    sentiment: Annotated[list[str], _some_of(SENTIMENTS)] | None = None
    topics: list[str] | None = None
    keywords: list[Annotated[str, Field(min_length=2, max_length=100)]] | None = None
    touchpoints: list[ObjectId] | None = None
    journeys: list[ObjectId] | None = None
    channels: list[str] | None = None
    org_units: list[ObjectId] | None = None
    segments: list[str] | None = None
    customer_value: Range | None = None


_CHOICES = {"kind": KINDS, "nps_group": NPS_GROUPS, "sentiment": SENTIMENTS}


def _schema_messages(exc: SchemaError) -> list[str]:
    messages = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"]) or "-"
        if error["type"] == "extra_forbidden":
            messages.append(_("Unknown condition “%(name)s”.") % {"name": where})
        else:
            messages.append(
                _("Invalid value for “%(name)s”: %(error)s.")
                % {"name": where, "error": error["msg"]}
            )
    return messages


def _value_messages(parsed: Conditions) -> list[str]:
    messages = []
    for name, allowed in _CHOICES.items():
        for value in getattr(parsed, name) or []:
            if value not in allowed:
                messages.append(
                    _("“%(value)s” is not a valid value for “%(name)s” (use: %(allowed)s).")
                    % {"value": value, "name": name, "allowed": ", ".join(allowed)}
                )
    for name in ("csat", "ces", "customer_value"):
        bounds: Range | None = getattr(parsed, name)
        if bounds and bounds.min is not None and bounds.max is not None:
            if bounds.min > bounds.max:
                messages.append(_("“%(name)s”: the minimum exceeds the maximum.") % {"name": name})
    return messages


def _reference_messages(parsed: Conditions) -> list[str]:
    """Ids and slugs must name existing objects, so that a typo never silently matches nothing."""
    from pulso.accounts.models import OrgUnit
    from pulso.journeys.models import Journey, Touchpoint
    from pulso.textanalytics.models import Topic

    checks: list[tuple[str, Any, str, list[Any] | None]] = [
        ("topics", Topic, "slug", parsed.topics),
        ("touchpoints", Touchpoint, "pk", parsed.touchpoints),
        ("journeys", Journey, "pk", parsed.journeys),
        ("org_units", OrgUnit, "pk", parsed.org_units),
    ]
    messages = []
    for name, model, key, wanted in checks:
        if not wanted:
            continue
        found = set(model.objects.filter(**{f"{key}__in": wanted}).values_list(key, flat=True))
        for missing in [value for value in wanted if value not in found]:
            messages.append(
                _("“%(name)s”: %(value)s does not exist.") % {"name": name, "value": missing}
            )
    return messages


def validate_conditions(value: Any) -> None:
    """Model-field validator: raise ValidationError listing every problem in ``value``."""
    if not isinstance(value, dict):
        raise ValidationError(_("Conditions must be a JSON object."), code="invalid")
    try:
        parsed = Conditions.model_validate(value)
    except SchemaError as exc:
        raise ValidationError(_schema_messages(exc), code="invalid") from None
    messages = _value_messages(parsed) + _reference_messages(parsed)
    if messages:
        raise ValidationError(messages, code="invalid")


@dataclass
class FeedbackFacts:
    """What a rule can look at in one response or feedback item."""

    kind: str
    text: str = ""
    language: str = "es"
    nps_group: str | None = None
    csat: int | None = None
    ces: int | None = None
    sentiment: str = ""
    topics: set[str] = field(default_factory=set)
    touchpoint_id: int | None = None
    journey_id: int | None = None
    channels: set[str] = field(default_factory=set)
    unit_path: str = ""
    segment: str = ""
    customer_value: Decimal | None = None
    unit_paths: dict[int, str] = field(default_factory=dict)


def _stemmed(text: str, language: str) -> str:
    return " ".join(stem(token, language) for token in tokenize(text))


# Rules' keywords are few and asked about for every record: each is stemmed once per process.
_stemmed_keyword = lru_cache(maxsize=4096)(_stemmed)


def mentions(text: str, keyword: str, language: str = "es") -> bool:
    """Whether ``text`` contains the phrase ``keyword``, ignoring accents, case and inflection."""
    return mentions_any(text, [keyword], language)


def mentions_any(text: str, keywords: list[str], language: str = "es") -> bool:
    """Whether ``text`` contains any of the phrases (the text is stemmed once)."""
    if not text:
        return False
    stemmed = f" {_stemmed(text, language)} "
    for keyword in keywords:
        wanted = _stemmed_keyword(keyword, language)
        if wanted and f" {wanted} " in stemmed:
            return True
    return False


def _in_range(value: float | Decimal | None, bounds: Range) -> bool:
    if value is None:
        return False
    if bounds.min is not None and float(value) < bounds.min:
        return False
    return bounds.max is None or float(value) <= bounds.max


def _any_of(wanted: list[Any] | None, value: Any) -> bool:
    return wanted is None or value in wanted


def matches(conditions: dict[str, Any], facts: FeedbackFacts) -> bool:
    """True when ``facts`` satisfy every condition (conditions are assumed valid)."""
    c = Conditions.model_validate(conditions)
    simple = [
        _any_of(c.kind, facts.kind),
        _any_of(c.nps_group, facts.nps_group),
        _any_of(c.sentiment, facts.sentiment),
        _any_of(c.touchpoints, facts.touchpoint_id),
        _any_of(c.journeys, facts.journey_id),
        _any_of(c.segments, facts.segment),
    ]
    if not all(simple):
        return False
    ranges = [(c.csat, facts.csat), (c.ces, facts.ces), (c.customer_value, facts.customer_value)]
    if any(bounds and not _in_range(value, bounds) for bounds, value in ranges):
        return False
    if c.topics is not None and not facts.topics & set(c.topics):
        return False
    if c.channels is not None and not facts.channels & set(c.channels):
        return False
    if c.org_units is not None and not _in_units(c.org_units, facts):
        return False
    if c.keywords is not None:
        return mentions_any(facts.text, c.keywords, facts.language)
    return True


def _in_units(unit_ids: list[int], facts: FeedbackFacts) -> bool:
    paths = [facts.unit_paths.get(unit_id, "") for unit_id in unit_ids]
    return bool(facts.unit_path) and any(p and facts.unit_path.startswith(p) for p in paths)
