"""The crisis room: incidents with owner, status and timeline; the affected customers read from
feedback records; one proactive message per customer; who may see and run incidents."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from pulso.alerts.models import Alert, AlertKind
from pulso.crisis import actions
from pulso.crisis.affected import affected_customers
from pulso.crisis.models import Incident, IncidentEvent, IncidentMessage
from pulso.crisis.tasks import send_sms
from pulso.customers.models import Customer
from pulso.feedback.models import Feedback
from pulso.loop import notifications
from pulso.textanalytics.models import TextAnalysis, Topic, TopicMention
from tests.conftest import Org, Personas
from tests.factories import CustomerFactory, FeedbackFactory, TouchpointFactory

NOW = timezone.now()
START = NOW - timedelta(days=2)


def _said(customer: Customer, unit: Any, topic: Topic | None, when: Any, **extra: Any) -> Feedback:
    """A comment of ``customer`` in ``unit``, negative about ``topic`` when one is given."""
    item = FeedbackFactory(customer=customer, org_unit=unit, received_at=when, **extra)
    analysis = TextAnalysis.objects.create(feedback=item, language="es", written_at=when)
    if topic is not None:
        TopicMention.objects.create(analysis=analysis, topic=topic, sentiment="negative")
    return item


@pytest.fixture
def delivery(db: None) -> Topic:
    return Topic.objects.create(slug="crisis-entrega", name_es="Entrega", rule_es="entrega")


def _incident(org: Org, delivery: Topic, **fields: Any) -> Incident:
    return actions.do_open_incident(
        "Retrasos de entrega en Bilbao", org.north_store, None, started_at=START, topic=delivery,
        **fields,
    )  # fmt: skip


def test_affected_are_those_who_mentioned_the_topic_or_passed_the_touchpoint_in_the_window(
    org: Org, delivery: Topic
) -> None:
    late = Topic.objects.create(slug="crisis-retraso", name_es="Retraso", parent=delivery)
    other = Topic.objects.create(slug="crisis-precio", name_es="Precio")
    counter = TouchpointFactory()
    names = ["Ana", "Luis", "Eva", "Pablo", "Rosa", "Marta"]
    ana, luis, eva, pablo, rosa, marta = (CustomerFactory(name=n) for n in names)
    _said(ana, org.north_store, delivery, NOW - timedelta(hours=5))
    _said(luis, org.north_store, late, NOW - timedelta(hours=1))  # a subtopic counts
    _said(eva, org.north_store, None, NOW - timedelta(hours=3), touchpoint=counter)
    _said(pablo, org.north_store, other, NOW - timedelta(hours=2))  # another topic
    _said(rosa, org.south_store, delivery, NOW - timedelta(hours=2))  # another store
    _said(marta, org.north_store, delivery, START - timedelta(hours=1))  # before it started
    _said(ana, org.north_store, delivery, NOW - timedelta(hours=4))  # twice: listed once
    incident = _incident(org, delivery, touchpoint=counter)
    assert list(affected_customers(incident)) == [ana, eva, luis]


def test_each_affected_customer_gets_one_message_never_two(
    org: Org,
    delivery: Topic,
    personas: Personas,
    caplog: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    ana, luis = CustomerFactory(name="Ana"), CustomerFactory(name="Luis", phone="+34600000001")
    gone = CustomerFactory(name="Baja", unsubscribed_at=NOW)
    for customer in (ana, luis, gone):
        _said(customer, org.north_store, delivery, NOW - timedelta(hours=2))
    incident = _incident(org, delivery)
    with django_capture_on_commit_callbacks(execute=True):
        sent = actions.do_message_affected_customers(incident, "aviso", "email", personas.analyst)
    assert sent == 2
    notifications.send_due(timezone.now() + timedelta(minutes=1))
    assert sorted(m.to[0] for m in mail.outbox) == sorted([ana.email, luis.email])
    assert "Hola Ana" in next(m.body for m in mail.outbox if m.to == [ana.email])
    assert "Tienda Bilbao" in mail.outbox[0].body and "Acme" in mail.outbox[0].subject
    # Again, by email or by SMS: nobody hears twice about the same incident.
    assert actions.do_message_affected_customers(incident, "aviso", "email", None) == 0
    assert actions.do_message_affected_customers(incident, "resuelto", "sms", None) == 0
    assert IncidentMessage.objects.filter(incident=incident).count() == 2
    # A customer found later gets the SMS, once.
    eva = CustomerFactory(name="Eva", email="", phone="+34600000002")
    _said(eva, org.north_store, delivery, NOW - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=False):
        assert actions.do_message_affected_customers(incident, "resuelto", "sms", None) == 1
    message = IncidentMessage.objects.get(customer=eva)
    with caplog.at_level(logging.WARNING, logger="pulso.sms"):
        assert send_sms.call(message.pk, "Ya está resuelto.") == "sent"
        assert send_sms.call(message.pk, "Ya está resuelto.") == ""  # idempotent
    assert [r.getMessage() for r in caplog.records].count(
        f"SMS to +34600000002 [incident-{incident.pk}]: Ya está resuelto."
    ) == 1
    kinds = list(incident.events.values_list("kind", "data__sent"))
    assert kinds == [
        ("opened", None),
        ("message", 2),
        ("message", 0),
        ("message", 0),
        ("message", 1),
    ]


def test_an_incident_runs_from_alert_to_post_mortem(
    org: Org, delivery: Topic, personas: Personas
) -> None:
    detail = {"count": 9, "expected": 1.0, "topic": "Entrega", "topic_id": delivery.pk}
    alert = Alert.objects.create(
        kind=AlertKind.SPIKE, unit=org.north_store, day=date(2025, 6, 29),
        title="Entrega · Bilbao: 9 (1.0)", detail={**detail, "channel": ""}, dedupe_key="spike:x",
    )  # fmt: skip
    incident = actions.do_open_incident_from_alert(alert, personas.analyst)
    assert actions.do_open_incident_from_alert(alert, personas.admin) == incident  # opened once
    assert (incident.topic, incident.org_unit, incident.started_at.date()) == (
        delivery,
        org.north_store,
        date(2025, 6, 29),
    )
    actions.do_assign_incident(incident, personas.store_manager, personas.analyst)
    with pytest.raises(ValidationError):
        actions.do_assign_incident(incident, personas.viewer, personas.analyst)  # not their unit
    actions.do_change_incident_status(
        incident, "investigating", personas.analyst, note="Llamo a logística."
    )
    with pytest.raises(ValidationError):
        actions.do_change_incident_status(incident, "resolved", personas.analyst)  # no resolution
    actions.do_change_incident_status(
        incident, "resolved", personas.analyst, resolution="Nuevo transportista."
    )
    actions.do_write_postmortem(
        incident, "El transportista cambió de ruta sin avisar.", personas.analyst
    )
    incident.refresh_from_db()
    assert incident.status == "resolved" and incident.ended_at == incident.resolved_at
    assert incident.owner == personas.store_manager
    assert list(incident.events.values_list("kind", flat=True)) == [
        "opened", "assigned", "status", "status", "postmortem"
    ]  # fmt: skip


def test_store_managers_see_their_units_incidents_and_cx_roles_run_them(
    client: Any, org: Org, delivery: Topic, personas: Personas
) -> None:
    north = _incident(org, delivery)
    south = actions.do_open_incident("Colas en Sevilla", org.south_store, None, started_at=START)
    client.force_login(personas.store_manager)
    page = client.get(reverse("crisis:list"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Sala de crisis" in page and north.title in page and south.title not in page
    assert "Abrir una incidencia" not in page
    room = client.get(reverse("crisis:detail", args=[north.pk]), HTTP_ACCEPT_LANGUAGE="es")
    assert room.status_code == 200 and "Clientes afectados" in room.content.decode()
    assert "Cambiar estado" not in room.content.decode()
    assert client.get(reverse("crisis:detail", args=[south.pk])).status_code == 404
    refused = client.post(reverse("crisis:note", args=[north.pk]), {"text": "Hola"})
    assert refused.status_code == 403
    client.force_login(personas.analyst)
    done = client.post(reverse("crisis:status", args=[north.pk]), {"status": "resolved"})
    assert done.status_code == 422 and "Di cómo se resolvió" in done.content.decode()
    assert (
        client.post(
            reverse("crisis:note", args=[north.pk]), {"text": "Hablado con logística."}
        ).status_code
        == 302
    )
    assert IncidentEvent.objects.filter(incident=north, kind="note").count() == 1


def test_the_list_pages_and_says_when_there_is_nothing(
    client: Any, org: Org, personas: Personas
) -> None:
    client.force_login(personas.analyst)
    empty = client.get(reverse("crisis:list"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "No hay incidencias" in empty
    for n in range(30):
        actions.do_open_incident(f"Incidencia {n:02d}", org.north_store, None, started_at=START)
    first = client.get(reverse("crisis:list")).content.decode()
    second = client.get(reverse("crisis:list") + "?status=open&page=2").content.decode()
    assert first.count("/crisis/") >= 25 and "Incidencia 29" in first and "Incidencia 00" in second


def test_a_form_error_not_a_crash(client: Any, org: Org, personas: Personas) -> None:
    client.force_login(personas.analyst)
    future = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("crisis:create"), {"title": "X", "unit": org.north_store.pk, "started_at": future}
    )
    assert response.status_code == 422 and not Incident.objects.exists()
    opened = client.post(
        reverse("crisis:create"),
        {"title": "Caída de la web", "unit": org.company.pk, "started_at": "2025-06-01T10:00"},
    )
    assert opened.status_code == 302 and Incident.objects.get().title == "Caída de la web"


def test_the_api_lists_opens_and_moves_incidents(
    client: Any, org: Org, delivery: Topic, personas: Personas
) -> None:
    north = _incident(org, delivery)
    actions.do_open_incident("Colas en Sevilla", org.south_store, None, started_at=START)
    client.force_login(personas.store_manager)
    listed = client.get("/api/incidents/").json()
    assert [i["title"] for i in listed["items"]] == [north.title]
    assert (
        client.post(
            "/api/incidents/", {"title": "X", "org_unit": "bilbao"}, content_type="application/json"
        ).status_code
        == 403
    )
    client.force_login(personas.analyst)
    unknown = client.post(
        "/api/incidents/", {"title": "X", "org_unit": "nada"}, content_type="application/json"
    )
    assert unknown.status_code == 422 and "org_unit" in unknown.json()["errors"]
    made = client.post(
        "/api/incidents/",
        {"title": "Web caída", "org_unit": "acme"},
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["status"] == "open"
    local = {"title": "Web", "org_unit": "acme", "started_at": "2025-06-01T10:00:00"}
    naive = client.post("/api/incidents/", local, content_type="application/json")
    assert naive.status_code == 201 and naive.json()["started_at"].startswith("2025-06-01T")
    for when in ("0001-01-01T00:00:00+05:00", "9999-12-31T23:00:00", "2999-01-01T00:00:00Z"):
        body = {**local, "started_at": when}
        refused = client.post("/api/incidents/", body, content_type="application/json")
        assert refused.status_code == 422 and "started_at" in refused.json()["errors"]
    url = f"/api/incidents/{north.pk}/status"
    assert (
        client.post(url, {"status": "resolved"}, content_type="application/json").status_code == 409
    )
    moved = client.post(
        url, {"status": "resolved", "resolution": "Hecho"}, content_type="application/json"
    )
    assert moved.status_code == 200 and moved.json()["resolved_at"]


def test_the_main_navigation_leads_to_the_crisis_room_for_those_who_may_see_it(
    client: Any, org: Org, personas: Personas
) -> None:
    link = f'href="{reverse("crisis:list")}"'
    client.force_login(personas.store_manager)
    assert link in client.get(reverse("journeys:list"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    client.force_login(personas.outsider)
    assert link not in client.get(reverse("journeys:list")).content.decode()
