"""Customers in the REST API: list (filtered, paginated), create, get, update.

Reading needs membership of the organisation; creating and updating needs an administrator
or CX analyst. Invalid fields answer 422 with the reason, a duplicate external id 409.
"""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.db import IntegrityError
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import WithJsonSchema, field_validator

from pulso.accounts.privacy import personal_data
from pulso.core.apiutils import (
    BATCH_ERRORS,
    MAX_ID,
    Id,
    Pagination,
    Problem,
    batch_body,
    batch_items,
    read_json_body,
    require,
)
from pulso.customers import actions
from pulso.customers.action_ingest import (
    MAX_BATCH,
    CustomerActionIn,
    InvalidAction,
    Units,
    build_row,
)
from pulso.customers.importing import clean_consent, clean_email, clean_phone
from pulso.customers.models import Customer, CustomerAction

router = Router(tags=["customers"])
actions_router = Router(tags=["customer actions"])
routers: list[tuple[str, Router]] = [
    ("/customers", router),
    ("/customer-actions", actions_router),
]


class CustomerOut(Schema):
    id: int
    external_id: str
    name: str
    email: str
    phone: str
    language: str
    segment: str
    value: Decimal | None
    consent_to_contact: bool
    unsubscribed_at: Any = None
    created_at: Any

    # Contact details only for people who contact customers; others see a hint.
    @staticmethod
    def resolve_name(obj: Customer, context: dict[str, Any]) -> str:
        return personal_data(context["request"].user).contact(obj.name)

    @staticmethod
    def resolve_email(obj: Customer, context: dict[str, Any]) -> str:
        return personal_data(context["request"].user).contact(obj.email)

    @staticmethod
    def resolve_phone(obj: Customer, context: dict[str, Any]) -> str:
        return personal_data(context["request"].user).contact(obj.phone)


# Phones written as clean_phone accepts them (documented, not enforced: it accepts more).
PHONE_PATTERN = r"^$|^ *(\+|00)?[ \-.()/]*[1-9][ \-.()/]*([0-9][ \-.()/]*){6,14}$"
# A customer's value: a number with two decimals at most (clients send JSON numbers).
Money = Annotated[
    Decimal,
    Field(max_digits=12, decimal_places=2),
    WithJsonSchema(
        {"type": "number", "multipleOf": 0.01, "exclusiveMaximum": 1e10, "exclusiveMinimum": -1e10}
    ),
]


class CustomerFields(Schema):
    name: str | None = Field(None, max_length=200)
    email: str | None = Field(None, max_length=254, json_schema_extra={"format": "email"})
    phone: str | None = Field(None, json_schema_extra={"pattern": PHONE_PATTERN})
    language: Customer.Language | None = None
    segment: str | None = Field(None, max_length=60)
    value: Money | None = None
    consent_to_contact: bool | None = None

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        return clean_email(value) if value else value

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        return clean_phone(value) if value else value

    @field_validator("consent_to_contact", mode="before")
    @classmethod
    def _consent(cls, value: Any) -> Any:
        return clean_consent(value) if isinstance(value, str) else value

    def given(self) -> dict[str, Any]:
        """Fields present in the request; null clears text fields and the value."""
        given = {}
        for name, value in self.model_dump(exclude_unset=True).items():
            if value is None and name in {"name", "email", "phone", "segment"}:
                value = ""
            if value is not None or name == "value":
                given[name] = value
        return given


class CustomerIn(CustomerFields):
    external_id: str = Field(..., min_length=1, max_length=100)


class CustomerFilters(Schema):
    segment: str | None = None
    email: str | None = None
    external_id: str | None = None
    q: str | None = Field(None, description="Search in name, email and external id")


@router.get("/", response=list[CustomerOut])
@paginate(Pagination)
def list_customers(request: HttpRequest, filters: Query[CustomerFilters]) -> QuerySet[Customer]:
    require(request, "customers.view_customer")
    customers = Customer.objects.order_by("pk")
    if filters.segment is not None:
        customers = customers.filter(segment=filters.segment)
    # Contact details are searched only by people who may see them.
    by_contact = personal_data(request.user).anywhere
    if filters.email:
        found = customers.filter(email__iexact=filters.email.strip())
        customers = found if by_contact else customers.none()
    if filters.external_id:
        customers = customers.filter(external_id=filters.external_id)
    if filters.q:
        q = filters.q.strip()
        condition = Q(external_id__icontains=q)
        if by_contact:
            condition |= Q(name__icontains=q) | Q(email__icontains=q)
        customers = customers.filter(condition)
    return customers


@router.post("/", response={201: CustomerOut, 409: Problem})
def create_customer(request: HttpRequest, payload: CustomerIn) -> Status[Customer]:
    require(request, "customers.change_customer")
    fields = payload.given()
    fields["external_id"] = payload.external_id.strip()
    if Customer.objects.filter(external_id=fields["external_id"]).exists():
        raise HttpError(409, "A customer with this external_id already exists; use PATCH.")
    try:
        return Status(201, actions.do_create_customer(fields, request.user))
    except IntegrityError as exc:  # created concurrently
        raise HttpError(409, "A customer with this external_id already exists.") from exc


@router.get("/{customer_id}", response=CustomerOut)
def get_customer(request: HttpRequest, customer_id: int = Path(..., ge=1, le=MAX_ID)) -> Customer:
    require(request, "customers.view_customer")
    return _get(customer_id)


@router.patch("/{customer_id}", response=CustomerOut)
def update_customer(
    request: HttpRequest, payload: CustomerFields, customer_id: int = Path(..., ge=1, le=MAX_ID)
) -> Customer:
    require(request, "customers.change_customer")
    return actions.do_update_customer(_get(customer_id), payload.given(), request.user)


def _get(customer_id: int) -> Customer:
    customer = Customer.objects.filter(pk=customer_id).first()
    if customer is None:
        raise HttpError(404, "Customer not found.")
    return customer


class CustomerActionOut(Schema):
    id: int
    external_id: str
    customer_id: int
    kind: str
    occurred_at: dt.datetime
    amount: Decimal | None
    product: str
    channel: str
    campaign: str
    org_unit_id: int | None


class RejectedAction(Schema):
    index: int
    errors: dict[str, str]


class ActionBatchOut(Schema):
    accepted: int
    created: int
    updated: int
    rejected: list[RejectedAction]


# Inline: org units' kinds, another enum called Kind, own the component of that name.
ActionKind = Annotated[
    CustomerAction.Kind, WithJsonSchema({"type": "string", "enum": CustomerAction.Kind.values})
]


class ActionFilters(Schema):
    customer: Id | None = None
    kind: ActionKind | None = None
    campaign: str | None = None


@actions_router.post(
    "/",
    response={
        200: CustomerActionOut,
        201: CustomerActionOut,
        403: Problem,
        404: Problem,
        422: Problem,
    },
)
def post_action(request: HttpRequest, payload: CustomerActionIn) -> Status[Any]:
    """Store one action (updated when its external id is known). An action is not dated in
    the future, and its org unit, when given, is one of the caller's; otherwise a 422 naming
    the field."""
    require(request, "customers.add_customeraction")
    try:
        build_row(payload, Units.load(request.user), timezone.now())
    except InvalidAction as exc:
        return Status(exc.status, {"detail": _("The action is not valid."), "errors": exc.errors})
    result = actions.do_ingest_customer_actions([payload.model_dump()], actor=request.user)
    if result.rejected:  # stored earlier in a unit the caller may not change
        errors = result.rejected[0]["errors"]
        return Status(403, {"detail": _("The action is not valid."), "errors": errors})
    stored = CustomerAction.objects.get(external_id=payload.external_id)
    return Status(201 if result.created else 200, stored)


@actions_router.post(
    "/batch",
    response={200: ActionBatchOut, 207: ActionBatchOut, **BATCH_ERRORS},
    openapi_extra={"requestBody": batch_body("CustomerActionIn", MAX_BATCH)},
)
def post_action_batch(request: HttpRequest) -> Status[Any]:
    """Store up to 10,000 actions: valid ones are kept (an action sent again by its external id
    is updated), each invalid one is reported by index. 200 when all were accepted, else 207."""
    require(request, "customers.add_customeraction")
    items = batch_items(read_json_body(request), MAX_BATCH)
    result = actions.do_ingest_customer_actions(items, actor=request.user)
    return Status(207 if result.rejected else 200, result.as_dict())


@actions_router.get("/", response=list[CustomerActionOut])
@paginate(Pagination)
def list_actions(request: HttpRequest, filters: Query[ActionFilters]) -> QuerySet[CustomerAction]:
    """The actions the caller may see, newest first."""
    require(request, "customers.view_customeraction")
    found = CustomerAction.objects.visible_to(request.user).order_by("-occurred_at", "-pk")
    exact = {"customer_id": filters.customer, "kind": filters.kind, "campaign": filters.campaign}
    return found.filter(**{key: value for key, value in exact.items() if value is not None})
