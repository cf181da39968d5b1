"""Customers' praise naming an employee reaches that employee and the unit's managers, once."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from pulso.accounts.models import OrgUnit, Role
from pulso.core import events
from pulso.feedback.events import ANALYSED, recorded_payload
from pulso.feedback.models import Feedback
from pulso.lib.names import Person, named_people
from pulso.loop.models import Notification
from pulso.recognitions.models import Recognition
from pulso.recognitions.subscribers import recognise_analysed
from pulso.textanalytics.models import TextAnalysis
from tests.conftest import Org, Personas
from tests.factories import FeedbackFactory, MembershipFactory, UserFactory


def employee(unit: OrgUnit, username: str, first: str, last: str, role: str = Role.VIEWER) -> Any:
    user = UserFactory(username=username, first_name=first, last_name=last)
    MembershipFactory(user=user, unit=unit, role=role)
    return user


def comment(unit: OrgUnit, text: str, sentiment: str, nps: int | None = None) -> Feedback:
    item = FeedbackFactory(org_unit=unit, text=text, nps=nps)
    TextAnalysis.objects.create(feedback=item, language="es", sentiment=sentiment)
    return item


def recognise(item: Feedback, capture: Any) -> int:
    with capture(execute=True):
        found: int = recognise_analysed(recorded_payload([item.pk]))
    return found


def emails(item: Feedback) -> list[str]:
    keys = Notification.objects.filter(kind="recognition", dedupe_key__contains=f":{item.pk}:")
    return sorted(keys.values_list("to_email", flat=True))


@pytest.fixture
def staff(org: Org, personas: Personas) -> dict[str, Any]:
    personas.store_manager.first_name = "Carmen"
    personas.store_manager.save(update_fields=["first_name"])
    return {
        "maria": employee(org.north_store, "maria", "María", "López"),
        "juan": employee(org.north_store, "juan", "Juan", "Pérez"),
        "elsewhere": employee(org.south_store, "ana", "Ana", "Ruiz"),
    }


def test_praise_naming_an_employee_reaches_them_and_their_manager(
    client: Any, org: Org, personas: Personas, staff: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    item = comment(
        org.north_store, "Me atendió MARIA, un encanto. Llamadme al 612 345 678", "positive"
    )
    assert recognise(item, django_capture_on_commit_callbacks) == 1
    recognition = Recognition.objects.get()
    assert (recognition.employee, recognition.unit) == (staff["maria"], org.north_store)
    assert emails(item) == ["manager@example.com", "maria@example.com"]
    body = Notification.objects.get(to_email="maria@example.com").body
    assert "612 345 678" not in body and "MARIA, un encanto" in body
    client.force_login(staff["maria"])
    page = client.get(reverse("recognitions:list"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Reconocimientos" in page and "un encanto" in page
    assert "612 345 678" not in page  # masked: a viewer does not contact customers
    client.force_login(personas.store_manager)
    page = client.get(reverse("recognitions:list")).content.decode()
    assert "un encanto" in page and "María López" in page
    client.force_login(staff["juan"])
    assert "un encanto" not in client.get(reverse("recognitions:list")).content.decode()


def test_a_shared_first_name_alone_names_nobody_but_the_surname_does(
    org: Org, staff: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    other = employee(org.north_store, "maria2", "Maria", "García")
    vague = comment(org.north_store, "María fue estupenda con nosotros", "positive")
    assert recognise(vague, django_capture_on_commit_callbacks) == 0
    assert emails(vague) == []
    precise = comment(org.north_store, "Gracias a maría garcía por todo", "positive")
    assert recognise(precise, django_capture_on_commit_callbacks) == 1
    assert Recognition.objects.get().employee == other


def test_a_negative_comment_naming_an_employee_is_not_praise(
    org: Org, staff: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    # A promoter's score does not make a comment the analysis finds negative a praise.
    item = comment(org.north_store, "Juan no supo resolver nada", "negative", nps=9)
    assert recognise(item, django_capture_on_commit_callbacks) == 0
    # An employee of another unit is not named by a comment about this one.
    elsewhere = comment(org.north_store, "Ana y Juan, estupendos", "neutral", nps=10)
    assert recognise(elsewhere, django_capture_on_commit_callbacks) == 1
    assert Recognition.objects.get().employee == staff["juan"]
    assert not Recognition.objects.filter(employee=staff["elsewhere"]).exists()


def test_each_feedback_record_is_recognised_once(
    org: Org, staff: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    item = comment(org.north_store, "Juan Pérez, de diez", "positive")
    assert recognise(item, django_capture_on_commit_callbacks) == 1
    sent = Notification.objects.count()
    assert recognise(item, django_capture_on_commit_callbacks) == 0  # a retried task
    TextAnalysis.objects.filter(feedback=item).update(sentiment="positive")  # re-analysed
    assert recognise(item, django_capture_on_commit_callbacks) == 0
    assert Recognition.objects.count() == 1 and Notification.objects.count() == sent
    assert "pulso.recognitions.subscribers.recognise_analysed" in events.subscribers(ANALYSED)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("Gracias, ÁNGEL", ["angel"]),
        ("angel y rocío", ["angel", "rocio"]),
        ("Los ángeles de la guarda", []),  # whole words only
        ("Una rocíada", []),
        ("Ana Belén fue muy amable", ["ana_belen"]),  # not also Ana
        ("Ana, y luego Ana Belén", ["ana", "ana_belen"]),
    ],
)
def test_names_are_whole_words_whatever_the_accents_and_case(text: str, named: list[str]) -> None:
    people = [
        Person("angel", "Ángel", "Sanz"),
        Person("rocio", "Rocío", ""),
        Person("ana", "Ana", "Gil"),
        Person("ana_belen", "Ana Belén", "Mora"),
    ]
    assert named_people(text, people) == named
