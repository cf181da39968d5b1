"""Validation of customer actions (purchases, cancellations, campaign contacts...) for the API
batch endpoint and file imports: one shape, one set of rules, errors per item.

Org units are loaded once per batch, so validating 10,000 actions costs a few queries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
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
)

from pulso.accounts.models import OrgUnit
from pulso.core import access
from pulso.core.access import AnyUser
from pulso.core.batches import BatchResult
from pulso.customers.models import CustomerAction

MAX_BATCH = 10_000
WRITE = "customers.add_customeraction"
# Clocks differ: an action stamped a few minutes ahead of ours is not "in the future".
CLOCK_SKEW = dt.timedelta(minutes=5)

Text = Annotated[str, StringConstraints(strip_whitespace=True)]
Reference = int | Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]


def _in_utc(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        moment = moment.replace(tzinfo=timezone.get_default_timezone())
    try:
        return moment.astimezone(dt.UTC)
    except OverflowError:
        raise ValueError("date out of range") from None


Moment = Annotated[dt.datetime, AfterValidator(_in_utc)]
Money = Annotated[
    Decimal,
    Field(allow_inf_nan=False, ge=0, max_digits=12, decimal_places=2),
    WithJsonSchema({"type": "number", "multipleOf": 0.01, "minimum": 0, "exclusiveMaximum": 1e10}),
]


class CustomerActionIn(BaseModel):
    """One customer action as a client sends it (API item, or a file row after mapping)."""

    model_config = ConfigDict(extra="forbid")

    external_id: Annotated[Text, Field(min_length=1, max_length=150)] = Field(
        ..., description="The action's id in the sending system; sending it again updates it."
    )
    customer: Annotated[Text, Field(min_length=1, max_length=100)] = Field(
        ..., description="The customer's external id; created when unknown."
    )
    kind: Annotated[
        CustomerAction.Kind, WithJsonSchema({"type": "string", "enum": CustomerAction.Kind.values})
    ]
    occurred_at: Moment = Field(
        ..., description="ISO 8601; without an offset it is read in the project's time zone."
    )
    amount: Money | None = Field(None, description="Money, without currency; a return's too.")
    product: Annotated[Text, Field(max_length=120)] = ""
    channel: Annotated[Text, Field(max_length=40)] = ""
    campaign: Annotated[Text, Field(max_length=120)] = ""
    org_unit: Reference | None = Field(None, description="Org unit id or code.")


ITEMS = TypeAdapter(list[CustomerActionIn])


def _errors(exc: ValidationError) -> dict[str, str]:
    errors: dict[str, str] = {}
    for error in exc.errors(include_url=False, include_input=False):
        loc = [str(part) for part in error["loc"] if not isinstance(part, int)]
        errors.setdefault(".".join(loc[:1]) or "item", error["msg"])
    return errors


def parse_items(raw: Sequence[Any]) -> tuple[list[tuple[int, CustomerActionIn]], dict[int, dict]]:
    """Valid items with their index, and the errors of the others by index."""
    try:
        return list(enumerate(ITEMS.validate_python(raw))), {}
    except ValidationError:
        pass
    valid, errors = [], {}
    for index, item in enumerate(raw):
        try:
            valid.append((index, CustomerActionIn.model_validate(item)))
        except ValidationError as exc:
            errors[index] = _errors(exc)
    return valid, errors


@dataclass
class Units:
    """Org units by id and code, and the path prefixes the caller may write to."""

    by_ref: dict[int | str, tuple[int, str]] = field(default_factory=dict)
    scope: list[str] | None = None  # None: everywhere

    @classmethod
    def load(cls, user: AnyUser | None) -> Units:
        units = cls(scope=None if user is None else access.paths_for(user, WRITE))
        for pk, code, path in OrgUnit.objects.values_list("pk", "code", "path"):
            units.by_ref[pk] = units.by_ref[code.casefold()] = (pk, path)
        return units

    def find(self, ref: int | str) -> tuple[int, str] | None:
        key = ref.casefold() if isinstance(ref, str) else ref
        found = self.by_ref.get(key)
        if found is None and isinstance(key, str) and key.isdigit():
            found = self.by_ref.get(int(key))
        return found

    def may_write(self, path: str | None) -> bool:
        if self.scope is None:
            return True
        return path is not None and any(path.startswith(prefix) for prefix in self.scope)


def build_row(item: CustomerActionIn, units: Units, now: dt.datetime) -> dict[str, Any]:
    """Column values of the action to store; raises :class:`InvalidAction` with the errors by
    field and the status an API answers (404 unknown unit, 403 unit not the caller's, 422)."""
    errors: dict[str, str] = {}
    status = 422
    unit_id, path = None, None
    if item.org_unit is not None:
        found = units.find(item.org_unit)
        if found is None:
            errors["org_unit"] = _("Unknown org unit: %(ref)s") % {"ref": item.org_unit}
            status = 404
        else:
            unit_id, path = found
    if "org_unit" not in errors and not units.may_write(path):
        errors["org_unit"] = _("You may only add actions to your own organisation units.")
        status = 403
    if item.occurred_at > now + CLOCK_SKEW:
        errors["occurred_at"] = _("The date is in the future.")
    if errors:
        raise InvalidAction(errors, status)
    return {
        "external_id": item.external_id,
        "customer": item.customer,
        "kind": item.kind.value,
        "occurred_at": item.occurred_at,
        "amount": item.amount,
        "product": item.product,
        "channel": item.channel,
        "campaign": item.campaign,
        "org_unit_id": unit_id,
    }


class InvalidAction(Exception):
    def __init__(self, errors: dict[str, str], status: int = 422) -> None:
        super().__init__(str(errors))
        self.errors = errors
        self.status = status


# The outcome of one batch of customer actions.
ActionBatch = BatchResult
