"""Validation of unsolicited feedback items, for the API, file imports and the CLI.

Everything a batch refers to (touchpoints, org units, customers) is loaded once per batch into
a :class:`Lookups` so that validating 10,000 items costs a handful of queries, not 10,000.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from pulso.accounts.models import OrgUnit
from pulso.core import access
from pulso.core.access import AnyUser
from pulso.feedback.models import RECORDED_BY_THEIR_APP, Feedback
from pulso.journeys.models import Channel, Touchpoint

MAX_BATCH = 10_000
WRITE = "feedback.import_feedback"  # the action a batch needs on the units it names
MAX_TEXT = 100_000
DEFAULT_CHANNEL = {
    "social": Channel.SOCIAL,
    "contact_centre": Channel.CALL_CENTRE,
    "email": Channel.EMAIL,
    "chat": Channel.CHAT,
}


def without_nul(value: Any) -> Any:
    """Strings (also nested in lists and dicts) without NUL characters, which PostgreSQL
    cannot store in text columns."""
    kind = type(value)
    if kind is str:
        return value.replace("\x00", "") if "\x00" in value else value
    if kind is dict:
        return {without_nul(key): without_nul(item) for key, item in value.items()}
    if kind is list:
        return [without_nul(item) for item in value]
    return value


def _fields_without_nul(data: Any) -> Any:
    """The item with NUL characters removed from its (flat) string fields; cheap when clean."""
    if type(data) is dict and any(type(v) is str and "\x00" in v for v in data.values()):
        return {k: v.replace("\x00", "") if type(v) is str else v for k, v in data.items()}
    return data


Text = Annotated[str, StringConstraints(strip_whitespace=True)]


def _in_utc(moment: dt.datetime) -> dt.datetime:
    """An aware moment in UTC (PostgreSQL takes offsets up to 15:59 only); naive stays naive."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        return moment
    try:
        return moment.astimezone(dt.UTC)
    except OverflowError:
        raise ValueError("date out of range") from None


Moment = Annotated[dt.datetime, AfterValidator(_in_utc)]
Reference = int | Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]


def _enum(values: list[str]) -> dict[str, Any]:
    return {"type": "string", "enum": values}


UNSOLICITED = [value for value in Feedback.Source.values if value not in RECORDED_BY_THEIR_APP]


class FeedbackIn(BaseModel):
    """One feedback item as a client sends it (API body, or a file row after column mapping)."""

    model_config = ConfigDict(extra="forbid", str_max_length=MAX_TEXT)

    _no_nul = model_validator(mode="before")(_fields_without_nul)

    source: Annotated[Feedback.Source, WithJsonSchema(_enum(UNSOLICITED))]
    text: Annotated[Text, Field(min_length=1, max_length=MAX_TEXT)]
    source_name: Annotated[Text, Field(max_length=100)] = ""
    external_id: Annotated[Text, Field(max_length=150)] | None = None
    # Inline: surveys' channels, another enum called Channel, own the component of that name.
    channel: Annotated[Channel, WithJsonSchema(_enum(Channel.values))] | None = None
    rating: (
        Annotated[
            Decimal,
            Field(allow_inf_nan=False, ge=0, le=999),
            WithJsonSchema({"type": "number", "minimum": 0, "maximum": 999}),
        ]
        | None
    ) = None
    rating_scale_max: Annotated[int, Field(ge=1, le=100)] = 5
    author: Annotated[Text, Field(max_length=200)] = ""
    customer: Annotated[Text, Field(min_length=1, max_length=100)] | None = Field(
        None, description="The customer's external id; created when unknown."
    )
    touchpoint: Reference | None = Field(None, description="Touchpoint id or exact name.")
    org_unit: Reference | None = Field(None, description="Org unit id or code.")
    language: Annotated[Text, Field(max_length=8)] = ""
    received_at: Moment | None = Field(
        None, description="ISO 8601; without an offset it is read in the project's time zone."
    )

    @field_validator("source")
    @classmethod
    def _not_a_survey(cls, value: Feedback.Source) -> Feedback.Source:
        if value == Feedback.Source.SURVEY:
            raise ValueError("survey responses are recorded through /api/responses/")
        if value == Feedback.Source.AUDIT:
            raise ValueError("audit visits are recorded on the audits pages")
        return value


ITEMS = TypeAdapter(list[FeedbackIn])


def pydantic_errors(exc: ValidationError) -> dict[str, str]:
    """{field: message} from a pydantic error, first message per field."""
    errors: dict[str, str] = {}
    for error in exc.errors(include_url=False, include_input=False):
        loc = [str(part) for part in error["loc"] if not isinstance(part, int)]
        # A field name is the client's text: a NUL in it cannot be stored in the import log.
        errors.setdefault(without_nul(".".join(loc[:1])) or "item", error["msg"])
    return errors


def parse_items(raw: Sequence[Any]) -> tuple[list[tuple[int, FeedbackIn]], dict[int, dict]]:
    """Validate every item's shape; valid ones with their index, and errors by index."""
    try:  # The common case, a clean batch, is one call into pydantic-core.
        return list(enumerate(ITEMS.validate_python(raw))), {}
    except ValidationError:
        pass
    valid: list[tuple[int, FeedbackIn]] = []
    errors: dict[int, dict] = {}
    for index, item in enumerate(raw):
        try:
            valid.append((index, FeedbackIn.model_validate(item)))
        except ValidationError as exc:
            errors[index] = pydantic_errors(exc)
    return valid, errors


@dataclass
class Lookups:
    """What a batch may refer to, loaded once: touchpoints, org units, the user's scope."""

    touchpoints: dict[int | str, tuple[int, str, int | None]] = field(default_factory=dict)
    units: dict[int | str, tuple[int, str]] = field(default_factory=dict)
    scope: list[str] | None = None  # path prefixes the user may write to; None = everywhere
    customers: dict[str, int] = field(default_factory=dict)
    zone: dt.tzinfo = field(default_factory=timezone.get_default_timezone)

    @classmethod
    def load(cls, user: AnyUser | None = None, action: str = WRITE) -> Lookups:
        """What a batch may refer to; the scope is where ``user`` may do ``action``."""
        lookups = cls(scope=None if user is None else access.paths_for(user, action))
        rows = Touchpoint.objects.values_list("pk", "name", "channel", "owner_unit_id")
        names: dict[str, list[tuple[int, str, int | None]]] = {}
        for pk, name, channel, owner in rows:
            lookups.touchpoints[pk] = (pk, channel, owner)
            names.setdefault(name.casefold(), []).append((pk, channel, owner))
        lookups.touchpoints.update({k: v[0] for k, v in names.items() if len(v) == 1})
        for pk, code, path in OrgUnit.objects.values_list("pk", "code", "path"):
            lookups.units[pk] = lookups.units[code.casefold()] = (pk, path)
        return lookups

    def touchpoint(self, ref: int | str) -> tuple[int, str, int | None]:
        key = ref.casefold() if isinstance(ref, str) else ref
        if isinstance(key, str) and key.isdigit():
            key = int(key)
        if key not in self.touchpoints:
            raise ValueError(_("Unknown touchpoint: %(ref)s") % {"ref": ref})
        return self.touchpoints[key]

    def unit(self, ref: int | str) -> tuple[int, str]:
        key = ref.casefold() if isinstance(ref, str) else ref
        found = self.units.get(key)
        if found is None and isinstance(key, str) and key.isdigit():
            found = self.units.get(int(key))
        if found is None:
            raise ValueError(_("Unknown org unit: %(ref)s") % {"ref": ref})
        return found

    def may_write(self, path: str | None) -> bool:
        if self.scope is None:
            return True
        return path is not None and any(path.startswith(prefix) for prefix in self.scope)


def aware(moment: dt.datetime | None, zone: dt.tzinfo | None = None) -> dt.datetime:
    """A timezone-aware datetime; naive ones are in ``zone`` (default: the project's)."""
    if moment is None:
        return timezone.now()
    if moment.tzinfo is None or moment.utcoffset() is None:
        return moment.replace(tzinfo=zone or timezone.get_default_timezone())
    return moment


def _rating(item: FeedbackIn) -> Decimal | None:
    if item.rating is None:
        return None
    if item.rating > item.rating_scale_max:
        raise ValueError(
            _("The rating must be between 0 and %(max)s.") % {"max": item.rating_scale_max}
        )
    return item.rating.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _place(item: FeedbackIn, lookups: Lookups) -> tuple[int | None, int | None, str]:
    """(touchpoint id, org unit id, channel) of an item; raises InvalidItem."""
    touchpoint_id = unit_id = None
    channel = item.channel.value if item.channel else DEFAULT_CHANNEL.get(item.source, "")
    unit_path = None
    if item.touchpoint is not None:
        try:
            touchpoint_id, tp_channel, unit_id = lookups.touchpoint(item.touchpoint)
        except ValueError as exc:
            raise UnknownReference({"touchpoint": str(exc)}) from None
        channel = channel or tp_channel
    try:
        if item.org_unit is not None:
            unit_id, unit_path = lookups.unit(item.org_unit)
        elif unit_id is not None:
            unit_path = lookups.unit(unit_id)[1]
    except ValueError as exc:
        raise UnknownReference({"org_unit": str(exc)}) from None
    if not lookups.may_write(unit_path):
        message = _("You may only add feedback to your own organisation units.")
        raise OutsideUnits({"org_unit": message})
    return touchpoint_id, unit_id, channel


def build_item(item: FeedbackIn, lookups: Lookups) -> dict[str, Any]:
    """The column values (by attribute name) of a Feedback to store; raises
    :class:`InvalidItem` with errors by field. Plain dicts, not model instances: building
    10,000 model instances costs more than validating them."""
    errors: dict[str, str] = {}
    touchpoint_id = unit_id = None
    channel = ""
    rating = None
    failure = InvalidItem  # an unknown or forbidden place is the failure reported first
    try:
        touchpoint_id, unit_id, channel = _place(item, lookups)
    except InvalidItem as exc:
        errors.update(exc.errors)
        failure = type(exc)
    try:
        rating = _rating(item)
    except ValueError as exc:
        errors["rating"] = str(exc)
    if errors:
        raise failure(errors)
    return {
        "source": item.source.value,
        "source_name": item.source_name,
        "external_id": item.external_id or None,
        "channel": channel,
        "text": item.text,
        "rating": rating,
        "rating_scale_max": item.rating_scale_max,
        "author": item.author,
        "customer_id": lookups.customers.get(item.customer) if item.customer else None,
        "touchpoint_id": touchpoint_id,
        "org_unit_id": unit_id,
        "language": item.language,
        "received_at": aware(item.received_at, lookups.zone),
    }


class InvalidItem(Exception):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(str(errors))
        self.errors = errors


class UnknownReference(InvalidItem):
    """The item names a touchpoint or org unit that does not exist."""


class OutsideUnits(InvalidItem):
    """The item belongs to an org unit where the caller may not add feedback."""


def customer_ids(items: Iterable[FeedbackIn]) -> set[str]:
    return {item.customer for item in items if item.customer}
