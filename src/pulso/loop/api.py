"""Cases and rules in the REST API (``/api/cases``), scoped with ``.visible_to(user)``."""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import ConfigDict
from pydantic.json_schema import JsonDict, JsonValue

from pulso.accounts.models import OrgUnit, Role
from pulso.core.apiutils import MAX_ID, Id, Pagination, Problem, require
from pulso.loop import actions
from pulso.loop.conditions import Conditions
from pulso.loop.messages import PLACEHOLDERS
from pulso.loop.models import Case, Priority, Rule, Webhook

router = Router(tags=["cases"])
routers: list[tuple[str, Router]] = [("/cases", router)]


class CaseOut(Schema):
    id: int
    title: str
    status: str
    priority: str
    unit_id: int
    owner_id: int | None
    feedback_id: int | None
    touchpoint_id: int | None
    root_cause_id: int | None
    resolution: str
    first_contact_due: datetime
    resolution_due: datetime
    first_contacted_at: datetime | None
    closed_at: datetime | None
    escalation_level: int
    created_at: datetime
    is_overdue: bool

    @staticmethod
    def resolve_is_overdue(obj: Case) -> bool:
        return obj.is_overdue()


class CaseFilters(Schema):
    status: str | None = None
    priority: str | None = None
    mine: bool = False
    overdue: bool = False


class StatusIn(Schema):
    status: str
    resolution: str = Field("", max_length=10_000)
    note: str = Field("", max_length=5_000)


class NoteIn(Schema):
    text: str = Field(..., min_length=1, max_length=5_000)


# A message template: braces only as ``{{``, ``}}`` or a known placeholder such as ``{nombre}``
# (documented; the model's check names what is wrong).
TEMPLATE_PATTERN = r"^([^{}]|\{\{|\}\}|\{(" + "|".join(PLACEHOLDERS) + r")\})*$"
_ID: JsonDict = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
_ROUTED: list[JsonValue] = [unit for unit in Rule.CaseUnit.values if unit != Rule.CaseUnit.FIXED]

# What each action needs beside its conditions (the model's ``clean`` checks the same).
ACTION_NEEDS: JsonDict = {
    "anyOf": [
        {
            "properties": {
                "action": {"const": Rule.Action.OPEN_CASE.value},
                "case_unit": {"enum": _ROUTED},
            }
        },
        {
            "properties": {
                "action": {"const": Rule.Action.OPEN_CASE.value},
                "case_unit": {"const": Rule.CaseUnit.FIXED.value},
                "target_unit_id": _ID,
            },
            "required": ["case_unit", "target_unit_id"],
        },
        {"properties": {"action": {"const": Rule.Action.NOTIFY.value}}},
        {
            "properties": {
                "action": {"enum": [Rule.Action.THANK_YOU.value, Rule.Action.APOLOGY.value]},
                "body_es": {"type": "string", "minLength": 1},
            },
            "required": ["body_es"],
        },
        {
            "properties": {"action": {"const": Rule.Action.WEBHOOK.value}, "webhook_id": _ID},
            "required": ["webhook_id"],
        },
    ]
}


def _template(max_length: int | None = None) -> Any:
    return Field("", max_length=max_length, json_schema_extra={"pattern": TEMPLATE_PATTERN})


class RuleIn(Schema):
    """A rule. Opening cases routed to a fixed unit needs ``target_unit_id``; a thank-you or an
    apology needs ``body_es``; calling a webhook needs ``webhook_id``."""

    model_config = ConfigDict(json_schema_extra=ACTION_NEEDS)

    name: str = Field(..., min_length=1, max_length=150)
    description: str = ""
    is_active: bool = True
    position: int = Field(0, ge=0, le=2_147_483_647)
    conditions: Conditions = Field(default_factory=Conditions)
    action: Rule.Action
    case_priority: Priority = Priority.NORMAL
    case_unit: Rule.CaseUnit = Rule.CaseUnit.TOUCHPOINT_OWNER
    target_unit_id: Id | None = None
    notify_role: str = Field("", max_length=20, json_schema_extra={"enum": ["", *Role.values]})
    webhook_id: Id | None = None
    subject_es: str = _template(200)
    body_es: str = _template()
    subject_en: str = _template(200)
    body_en: str = _template()


class RuleOut(Schema):
    """A stored rule as it is, even a row written past validation (analysis skips those)."""

    id: int
    name: str
    description: str
    is_active: bool
    position: int
    conditions: Any
    action: str
    case_priority: str
    case_unit: str
    target_unit_id: int | None
    notify_role: str
    webhook_id: int | None
    subject_es: str
    body_es: str
    subject_en: str
    body_en: str


@router.get("/", response=list[CaseOut])
@paginate(Pagination)
def list_cases(request: HttpRequest, filters: Query[CaseFilters]) -> QuerySet[Case]:
    require(request, "loop.view_case")
    cases = Case.objects.visible_to(request.user).with_overdue_flag()
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.priority:
        cases = cases.filter(priority=filters.priority)
    if filters.mine:
        cases = cases.filter(owner=request.user)
    if filters.overdue:
        cases = cases.filter(overdue=True)
    return cases.order_by("-overdue", "resolution_due", "pk")


@router.get("/rules", response=list[RuleOut])
def list_rules(request: HttpRequest) -> QuerySet[Rule]:
    require(request, "loop.change_rule")
    return Rule.objects.all()


def _save_rule(request: HttpRequest, rule: Rule, payload: RuleIn) -> Rule:
    require(request, "loop.change_rule")
    _require_targets(payload)
    fields = payload.dict()
    fields["conditions"] = payload.conditions.model_dump(exclude_none=True)
    for name, value in fields.items():
        setattr(rule, name, value)
    try:
        rule.full_clean()
    except ValidationError as exc:
        raise InvalidRule(exc.message_dict) from None
    return actions.do_save_rule(rule, request.user)


def _require_targets(payload: RuleIn) -> None:
    """404 when the rule names a unit or a webhook that does not exist."""
    if payload.target_unit_id is not None:
        get_object_or_404(OrgUnit, pk=payload.target_unit_id)
    if payload.webhook_id is not None:
        get_object_or_404(Webhook, pk=payload.webhook_id)


class InvalidRule(Exception):
    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = {field: " ".join(messages) for field, messages in errors.items()}


@router.post("/rules", response={201: RuleOut, 403: Problem, 422: Problem})
def create_rule(request: HttpRequest, payload: RuleIn) -> Any:
    """Create a rule. Checked as on the rule form: a thank-you or apology needs its Spanish
    message, a webhook action its webhook, fixed routing its unit, a notification a valid role;
    a rule that breaks one is a 422 naming the field."""
    try:
        return Status(201, _save_rule(request, Rule(), payload))
    except InvalidRule as exc:
        return Status(422, {"detail": _("The rule is not valid."), "errors": exc.errors})


@router.put("/rules/{rule_id}", response={200: RuleOut, 403: Problem, 404: Problem, 422: Problem})
def update_rule(
    request: HttpRequest, payload: RuleIn, rule_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    """Replace a rule; checked as when creating one (422 naming the field)."""
    require(request, "loop.change_rule")
    rule = get_object_or_404(Rule, pk=rule_id)
    try:
        return Status(200, _save_rule(request, rule, payload))
    except InvalidRule as exc:
        return Status(422, {"detail": _("The rule is not valid."), "errors": exc.errors})


@router.get("/{case_id}", response={200: CaseOut, 404: Problem})
def get_case(request: HttpRequest, case_id: int = Path(..., ge=1, le=MAX_ID)) -> Case:
    require(request, "loop.view_case")
    return get_object_or_404(Case.objects.visible_to(request.user), pk=case_id)


def _workable(request: HttpRequest, case_id: int) -> Case:
    require(request, "loop.work_case")
    return get_object_or_404(Case.objects.restrict(request.user, "loop.work_case"), pk=case_id)


@router.post("/{case_id}/status", response={200: CaseOut, 403: Problem, 404: Problem, 409: Problem})
def change_status(
    request: HttpRequest, payload: StatusIn, case_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    case = _workable(request, case_id)
    try:
        case = actions.do_change_case_status(
            case, payload.status, request.user, resolution=payload.resolution, note=payload.note
        )
    except ValidationError as exc:
        return Status(409, {"detail": " ".join(exc.messages)})
    return Status(200, case)


@router.post("/{case_id}/notes", response={201: Problem, 403: Problem, 404: Problem})
def add_note(
    request: HttpRequest, payload: NoteIn, case_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    case = _workable(request, case_id)
    actions.do_add_case_note(case, payload.text, request.user)
    return Status(201, {"detail": _("Note added.")})
