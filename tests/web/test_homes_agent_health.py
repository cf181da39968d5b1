"""An agent's queue and the analyst's data health."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from pulso.accounts.models import Role
from pulso.loop.actions import do_open_case
from pulso.metrics.jobs import refresh_pending
from pulso.textanalytics.models import SentimentModelVersion, TextAnalysis
from pulso.web.homes.agent import agent_home
from pulso.web.homes.health import data_health
from pulso.web.homes.roles import home_roles
from tests.conftest import Org, Personas
from tests.distribution.factories import InvitationFactory
from tests.factories import MembershipFactory
from tests.metrics.factories import SurveyFactory
from tests.web.world import answers

pytestmark = pytest.mark.django_db


def test_the_agents_queue_overdue_first_then_by_deadline(
    client: Client, org: Org, personas: Personas
) -> None:
    now, agent, cc = timezone.now(), personas.agent, org.contact_centre
    low = do_open_case(title="Baja", unit=cc, priority="low", owner=agent, now=now)
    late = do_open_case(
        title="Atrasado", unit=cc, priority="normal", owner=agent, now=now - timedelta(days=20)
    )
    urgent = do_open_case(title="Urgente", unit=cc, priority="urgent", owner=agent, now=now)
    free = do_open_case(title="Sin dueño", unit=cc, priority="high", now=now)
    do_open_case(title="Otra unidad", unit=org.north_store, priority="high", now=now)

    home = agent_home(agent, home_roles(agent).agent_paths)
    assert [c.pk for c in home.queue] == [late.pk, urgent.pk, low.pk]
    assert home.queue[0].overdue and not home.queue[1].overdue
    assert [c.pk for c in home.unassigned] == [free.pk] and home.unassigned_total == 1

    client.force_login(agent)
    body = client.get("/").content.decode()
    assert body.index("Atrasado") < body.index("Urgente") < body.index("Baja")
    assert "Sin dueño" in body and "Otra unidad" not in body
    assert 'data-section="unit"' not in body and 'data-section="company"' not in body


def test_a_person_with_two_roles_gets_both_homes(
    client: Client, org: Org, personas: Personas
) -> None:
    MembershipFactory(user=personas.agent, unit=org.north_store, role=Role.UNIT_MANAGER)
    client.force_login(personas.agent)
    body = client.get("/").content.decode()
    assert 'data-section="agent"' in body and 'data-section="unit"' in body


def test_data_health_figures(client: Client, org: Org, personas: Personas) -> None:
    survey = SurveyFactory()
    statuses = ["answered"] * 3 + ["sent"] * 4 + ["opened", "bounced", "queued"]
    for status in statuses:
        InvitationFactory(survey=survey, org_unit=org.north_store, status=status)
    now = timezone.now()
    # This month: 3 answers at Bilbao (a low base), 30 at Sevilla (not low).
    commented = answers(survey, org.north_store, [9, 9, 2], now, comment="Bien")
    answers(survey, org.south_store, [9] * 30, now)
    TextAnalysis.objects.create(feedback=commented[0].feedback, language="es", sentiment="positive")
    SentimentModelVersion.objects.create(
        language="es", status="active", accuracy=0.87, macro_f1=0.812, n_training=400
    )
    SentimentModelVersion.objects.create(language="es", status="retired", accuracy=0.7)
    refresh_pending()

    health = data_health(personas.analyst)
    assert (health.answered, health.delivered) == (3, 8)
    assert health.response_rate == pytest.approx(37.5)
    assert [(r["unit"], r["n"]) for r in health.low_bases] == [(org.north_store, 3)]
    assert health.low_base_total == 1
    assert health.pending_analysis == 2
    assert [m.accuracy for m in health.models] == [0.87]

    client.force_login(personas.analyst)
    body = client.get("/").content.decode()
    assert "Salud de los datos" in body and "37,5%" in body
    assert "87%" in body and "400 comentarios valorados" in body
