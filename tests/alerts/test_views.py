"""Each person manages their own alert subscriptions and sees their alerts in the app."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse

from pulso.alerts.models import Alert, AlertKind, AlertSubscription
from tests.conftest import Org, Personas


def _alert(unit: Any, kind: str = AlertKind.DROP, key: str = "a") -> Alert:
    detail = {"nps_before": 40.0, "nps_now": 10.0, "window_days": 3}
    return Alert.objects.create(
        kind=kind, unit=unit, day=date(2025, 6, 29), title="t", detail=detail, dedupe_key=key
    )


def test_a_manager_subscribes_and_sees_her_stores_alerts(
    client: Any, org: Org, personas: Personas
) -> None:
    client.force_login(personas.store_manager)
    response = client.post(
        reverse("alerts:subscribe"), {"kind": "drop", "unit": org.north_store.pk, "is_active": "on"}
    )
    assert response.status_code == 302
    assert AlertSubscription.objects.get(user=personas.store_manager).unit == org.north_store
    _alert(org.north_store, key="north")
    _alert(org.south_store, key="south")
    page = client.get(reverse("alerts:list"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Tienda Bilbao" in page and "Tienda Sevilla" not in page
    assert "Caída significativa del NPS" in page
    assert 'href="/alerts/">Tus alertas</a>' in page and 'href="/reports/">Tus informes' in page


def test_a_unit_out_of_reach_is_a_form_error(client: Any, org: Org, personas: Personas) -> None:
    client.force_login(personas.store_manager)
    response = client.post(reverse("alerts:subscribe"), {"kind": "drop", "unit": org.south.pk})
    assert response.status_code == 422
    assert 'role="alert"' in response.content.decode()
    assert not AlertSubscription.objects.exists()


def test_unticking_active_pauses_the_subscription(
    client: Any, org: Org, personas: Personas
) -> None:
    client.force_login(personas.store_manager)
    data = {"kind": "word", "unit": org.north_store.pk, "words": "OCU, hoja de reclamaciones"}
    client.post(reverse("alerts:subscribe"), {**data, "is_active": "on"})
    client.post(reverse("alerts:subscribe"), data)
    sub = AlertSubscription.objects.get()
    assert not sub.is_active
    assert sub.watched_words() == ["OCU", "hoja de reclamaciones"]


def test_a_crisis_alert_reads_in_spanish_with_its_figures(
    client: Any, org: Org, personas: Personas
) -> None:
    client.force_login(personas.store_manager)
    client.post(
        reverse("alerts:subscribe"),
        {"kind": "spike", "unit": org.north_store.pk, "is_active": "on"},
    )
    detail = {"count": 9, "expected": 1.04, "p_value": 1e-6, "topic": "Entrega", "channel": ""}
    Alert.objects.create(kind=AlertKind.SPIKE, unit=org.north_store, day=date(2025, 6, 29),
                         title="t", detail=detail, dedupe_key="spike")  # fmt: skip
    page = client.get(reverse("alerts:list"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Crisis: volumen inusual de quejas o contactos" in page
    assert "Entrega: 9 el 29/06/2025, 1,0 esperados" in page
