"""The access policy: unit-aware grants, company-wide objects, owners, querysets = objects."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse

from pulso.accounts.models import OrgUnit, Role
from pulso.core import access
from pulso.loop.actions import do_open_case
from pulso.loop.models import Case
from pulso.surveys.models import Survey
from pulso.textanalytics.models import TextAnalysis, Topic, TopicExample
from tests.conftest import Org, Personas
from tests.factories import FeedbackFactory, MembershipFactory, UserFactory
from tests.loop.factories import SurveyFactory

pytestmark = pytest.mark.django_db


def member(unit: OrgUnit, role: str, username: str) -> Any:
    return MembershipFactory(user=UserFactory(username=username), unit=unit, role=role).user


@pytest.fixture
def surveys(org: Org) -> dict[str, Survey]:
    return {
        "company": SurveyFactory(name="Toda la empresa", org_unit=None),
        "north_store": SurveyFactory(name="Bilbao", org_unit=org.north_store),
        "south_store": SurveyFactory(name="Sevilla", org_unit=org.south_store),
    }


def test_store_analyst_edits_store_surveys_not_company_wide_ones(
    org: Org, surveys: dict[str, Survey]
) -> None:
    analyst = member(org.north_store, Role.CX_ANALYST, "store-analyst")
    assert access.can(analyst, "surveys.change_survey", surveys["north_store"])
    assert not access.can(analyst, "surveys.change_survey", surveys["south_store"])
    assert not access.can(analyst, "surveys.change_survey", surveys["company"])
    assert not access.can(analyst, "surveys.change_survey", access.COMPANY)
    # Company-wide surveys are read in every store, and edited at the root only.
    assert access.can(analyst, "surveys.view_survey", surveys["company"])
    assert not access.can(analyst, "journeys.change_journey")


def test_root_analyst_edits_everything(personas: Personas, surveys: dict[str, Survey]) -> None:
    for survey in surveys.values():
        assert access.can(personas.analyst, "surveys.change_survey", survey)
    assert access.can(personas.analyst, "journeys.change_journey")


def test_a_unit_grants_its_subtree_only(org: Org, personas: Personas) -> None:
    regional = member(org.north, Role.UNIT_MANAGER, "regional")
    assert access.can(regional, "loop.work_case", org.north_store)
    assert access.can(regional, "loop.work_case", org.north)
    assert not access.can(regional, "loop.work_case", org.company)
    assert not access.can(regional, "loop.work_case", org.south_store)
    assert not access.can(personas.viewer, "loop.work_case", org.south)


@pytest.mark.parametrize(
    "action", ["surveys.view_survey", "surveys.change_survey", "surveys.send_invitation"]
)
def test_restrict_keeps_exactly_the_objects_can_allows(
    org: Org, personas: Personas, surveys: dict[str, Survey], action: str
) -> None:
    store_analyst = member(org.north_store, Role.CX_ANALYST, "store-analyst")
    people = [*vars(personas).values(), store_analyst]
    for person in people:
        kept = set(access.restrict(Survey.objects.all(), person, action))
        allowed = {s for s in surveys.values() if access.can(person, action, s)}
        assert kept == allowed, person.username


def test_owner_works_on_their_case_outside_their_units(org: Org, personas: Personas) -> None:
    case = do_open_case(title="Entrega tardía", unit=org.south_store, priority="normal")
    assert not access.can(personas.agent, "loop.work_case", case)
    case.owner = personas.agent
    case.save(update_fields=["owner"])
    assert access.can(personas.agent, "loop.work_case", case)
    assert case in Case.objects.restrict(personas.agent, "loop.work_case")
    case.owner = personas.viewer  # a viewer owning a case still may not work on it
    case.save(update_fields=["owner"])
    assert not access.can(personas.viewer, "loop.work_case", case)
    assert case not in Case.objects.restrict(personas.viewer, "loop.work_case")


def test_anonymous_outsider_and_superuser(personas: Personas, org: Org) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert not access.can(AnonymousUser(), "surveys.view_survey")
    assert not access.can(personas.outsider, "surveys.view_survey")
    assert not OrgUnit.objects.visible_to(personas.outsider).exists()
    root = UserFactory(username="root", is_superuser=True)
    assert access.can(root, "loop.change_rule")
    assert OrgUnit.objects.visible_to(root).count() == OrgUnit.objects.count()


def test_grants_are_data(monkeypatch: pytest.MonkeyPatch, personas: Personas) -> None:
    assert not access.can(personas.viewer, "loop.work_case")
    grants = {**access.ROLE_ACTIONS, "viewer": access.ROLE_ACTIONS["viewer"] | {"loop.work_case"}}
    monkeypatch.setattr(access, "ROLE_ACTIONS", grants)
    personas.viewer._access_grants = None
    assert access.can(personas.viewer, "loop.work_case")


def test_unknown_actions_are_errors(personas: Personas) -> None:
    with pytest.raises(ValueError, match="Unknown action"):
        access.can(personas.admin, "surveys.edit_survey")


def test_django_permissions_and_templates_ask_the_policy(
    org: Org, surveys: dict[str, Survey]
) -> None:
    analyst = member(org.north_store, Role.CX_ANALYST, "store-analyst")
    assert analyst.has_perm("surveys.change_survey", surveys["north_store"])
    assert not analyst.has_perm("surveys.change_survey", surveys["company"])
    template = Template(
        '{% load access %}{% if user|can:"surveys.change_survey" %}any{% endif %}'
        '{% if user|can_on:survey|can:"surveys.change_survey" %} this{% endif %}'
    )
    own = template.render(Context({"user": analyst, "survey": surveys["north_store"]}))
    company = template.render(Context({"user": analyst, "survey": surveys["company"]}))
    assert (own, company) == ("any this", "any")


def test_survey_list_shows_own_units_and_company_wide_surveys(
    client: Client, personas: Personas, surveys: dict[str, Survey]
) -> None:
    client.force_login(personas.store_manager)  # the north store
    page = client.get(reverse("surveys:list"))
    assert {s.name for s in page.context["page_obj"].object_list} == {"Toda la empresa", "Bilbao"}
    south = reverse("surveys:detail", args=[surveys["south_store"].pk])
    assert client.get(south).status_code == 404


def test_topic_examples_are_those_the_reader_may_see(
    client: Client, personas: Personas, org: Org
) -> None:
    topic = Topic.objects.create(slug="entregas", name_es="Entregas", rule_es="entrega")
    texts = {org.north_store: "Entrega en Bilbao", org.south_store: "Entrega en Sevilla"}
    for unit, text in texts.items():
        item = FeedbackFactory(org_unit=unit, text=text)
        analysis = TextAnalysis.objects.create(feedback=item, language="es")
        TopicExample.objects.create(topic=topic, analysis=analysis)
    client.force_login(personas.store_manager)
    page = client.get(reverse("textanalytics:topic_detail", args=[topic.pk]))
    assert [e.analysis.feedback.text for e in page.context["examples"]] == ["Entrega en Bilbao"]
