"""POST/PUT /api/cases/rules: the schema states what each action needs, the placeholders a
message may use, the roles and the condition values, so requests that conform are accepted."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from pulso.loop.api import TEMPLATE_PATTERN
from pulso.loop.messages import validate_template
from pulso.loop.models import Rule, Webhook
from tests.conftest import Org, Personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def schemas(client: Client) -> dict[str, Any]:
    return client.get("/api/openapi.json").json()["components"]["schemas"]


def post(client: Client, user: Any, body: dict[str, Any]) -> Any:
    client.force_login(user)
    return client.post("/api/cases/rules", body, content_type="application/json")


def test_the_schema_states_what_each_action_needs(schemas: dict[str, Any]) -> None:
    rule = schemas["RuleIn"]
    needs = {}
    for branch in rule["anyOf"]:
        action = branch["properties"]["action"]
        needs[str(action.get("const", action.get("enum")))] = branch.get("required", [])
    assert needs["webhook"] == ["webhook_id"]
    assert needs["['thank_you', 'apology']"] == ["body_es"]
    assert ["case_unit", "target_unit_id"] in [b.get("required") for b in rule["anyOf"]]
    assert "agent" in rule["properties"]["notify_role"]["enum"]
    assert rule["properties"]["body_es"]["pattern"] == TEMPLATE_PATTERN


def test_condition_values_are_listed(schemas: dict[str, Any]) -> None:
    conditions = schemas["Conditions"]["properties"]
    groups = conditions["nps_group"]["anyOf"][0]["items"]["enum"]
    assert groups == ["detractor", "passive", "promoter"]


@pytest.mark.parametrize(
    "template", ["", "Hola {nombre}", "{{literal}}", "{{{caso}}}", "Caso {caso}: {enlace}"]
)
def test_templates_that_match_the_pattern_pass_the_check(template: str) -> None:
    assert re.fullmatch(TEMPLATE_PATTERN, template)
    validate_template(template)


@pytest.mark.parametrize("template", ["{}", "{nombre", "a } b", "{desconocido}", "}{", "{{x}"])
def test_templates_the_check_refuses_do_not_match_the_pattern(template: str) -> None:
    with pytest.raises(ValidationError):
        validate_template(template)
    assert re.fullmatch(TEMPLATE_PATTERN, template) is None


def test_requests_that_conform_are_accepted(client: Client, personas: Personas, org: Org) -> None:
    hook = Webhook.objects.create(name="CRM", url="https://crm.example/hook")
    bodies = [
        {"name": "Gracias", "action": "thank_you", "body_es": "Gracias, {nombre} {{ok}}"},
        {"name": "CRM", "action": "webhook", "webhook_id": hook.pk},
        {"name": "Fijo", "action": "open_case", "case_unit": "fixed",
         "target_unit_id": org.north_store.pk},
        {"name": "Avisar", "action": "notify", "notify_role": "agent",
         "conditions": {"nps_group": ["detractor"], "sentiment": ["negative"]}},
    ]  # fmt: skip
    for body in bodies:
        answer = post(client, personas.analyst, body)
        assert answer.status_code == 201, answer.content
    assert Rule.objects.filter(name__in=["Gracias", "CRM", "Fijo", "Avisar"]).count() == 4


@pytest.mark.parametrize(
    ("body", "field"),
    [({"action": "apology"}, "body_es"),
     ({"action": "webhook"}, "webhook"),
     ({"action": "open_case", "case_unit": "fixed"}, "target_unit"),
     ({"action": "notify", "subject_es": "Hola {cliente}"}, "subject_es"),
     ({"action": "notify", "conditions": {"kind": ["email"]}}, "conditions")],
)  # fmt: skip
def test_what_breaks_the_schema_is_still_refused_naming_the_field(
    client: Client, personas: Personas, body: dict[str, Any], field: str
) -> None:
    answer = post(client, personas.analyst, {"name": "Mala", **body})
    assert answer.status_code == 422
    assert field in answer.json()["errors"]
    assert not Rule.objects.filter(name="Mala").exists()
