"""A rule's conditions and routing are checked on every path that writes it, and one bad rule
row left in the database never stops the other rules."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from pulso.loop import actions, rules
from pulso.loop.models import Case, Rule, RuleApplication
from tests.conftest import Org, Personas
from tests.loop.conftest import Loop
from tests.loop.factories import ResponseFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"notify_role": "jefazo", "action": "notify"}, "notify_role"),
        ({"case_unit": "fixed"}, "target_unit"),
        ({"conditions": {"nps_group": ["furious"]}}, "conditions"),
        ({"conditions": {"unit": ["no-such-unit"]}}, "conditions"),
    ],
)
def test_api_refuses_bad_conditions_and_routing_with_422(
    client: Client, personas: Personas, fields: dict[str, object], field: str
) -> None:
    client.force_login(personas.analyst)
    body = {"name": "Detractores", "action": "open_case", **fields}
    response = client.post("/api/cases/rules", body, content_type="application/json")
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert not Rule.objects.filter(name="Detractores").exists()


def test_the_action_refuses_what_a_caller_did_not_validate(org: Org) -> None:
    rule = Rule(name="Sin validar", action="open_case", conditions={"nps_group": ["furious"]})
    with pytest.raises(ValidationError) as error:
        actions.do_save_rule(rule)
    assert "conditions" in error.value.message_dict
    assert not Rule.objects.filter(name="Sin validar").exists()


def test_admin_refuses_an_unknown_role(admin_client: Client) -> None:
    form = {
        "name": "Avisar", "action": "notify", "position": 0, "conditions": "{}",
        "case_priority": "normal", "case_unit": "touchpoint_owner", "notify_role": "jefazo",
        "is_active": "on",
    }  # fmt: skip
    response = admin_client.post("/admin/loop/rule/add/", form)
    assert response.status_code == 200 and "Elige uno de los roles" in response.content.decode()
    # a number json cannot convert is a form error too (Django's own field raised a 500)
    huge = {**form, "notify_role": "agent", "conditions": "9" * 5000}
    response = admin_client.post("/admin/loop/rule/add/", huge)
    assert response.status_code == 200 and 'id="id_conditions_error"' in response.content.decode()
    assert not Rule.objects.filter(name="Avisar").exists()


def test_a_broken_rule_row_is_skipped_and_the_others_apply(
    loop: Loop, org: Org, personas: Personas, client: Client
) -> None:
    # rows as an old version or a database edit could leave them: never validated
    Rule.objects.create(name="Roto", action="open_case", conditions={"nps_group": "???"})
    Rule.objects.create(name="Acción rara", action="teleport", conditions={})
    Rule.objects.create(
        name="Detractores", action="open_case", conditions={"nps_group": ["detractor"]}
    )
    response = ResponseFactory(touchpoint=loop.touchpoint, org_unit=org.north_store, nps=1)
    assert rules.apply_rules(response.feedback) >= 1
    applied = set(RuleApplication.objects.values_list("rule__name", flat=True))
    assert "Detractores" in applied and not applied & {"Roto", "Acción rara"}
    assert Case.objects.filter(feedback=response.feedback).exists()
    client.force_login(personas.analyst)
    listing = client.get("/cases/rules/")
    assert (
        listing.status_code == 200
        and "no se aplica hasta que se corrijan" in listing.content.decode()
    )
    broken = Rule.objects.get(name="Roto")
    assert client.get(f"/cases/rules/{broken.pk}/").status_code == 200
    assert client.get("/api/cases/rules").status_code == 200
