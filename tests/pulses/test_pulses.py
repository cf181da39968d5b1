"""Employee pulses: anonymous answers, and no page, API call or export revealing a small group."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.urls import reverse

from pulso.accounts.models import OrgUnit
from pulso.pulses import actions
from pulso.pulses.models import Pulse, PulseInvitation, PulseResponse
from tests.conftest import Org, Personas
from tests.factories import OrgUnitFactory

K = 5


def answer(pulse: Pulse, unit: OrgUnit, enps: int, item: int, tenure: str = "", n: int = 1) -> None:
    tokens = actions.do_issue_invitations(pulse, unit, tenure, n, None)
    items = list(pulse.items.values_list("pk", flat=True))
    for token in tokens:
        actions.do_record_pulse_response(token, enps, dict.fromkeys(items, item))


@pytest.fixture
def north_pulse(org: Org) -> dict[str, Any]:
    """North: Bilbao 7 people, Vitoria 6, Logroño 2 (all unhappy, eNPS −100)."""
    vitoria = OrgUnitFactory(name="Tienda Vitoria", code="vitoria", parent=org.north)
    logrono = OrgUnitFactory(name="Tienda Logroño", code="logrono", parent=org.north)
    pulse = actions.do_create_pulse("Pulso de otoño", org.north, ["Me siento valorado."], None)
    answer(pulse, org.north_store, 10, 5, n=7)
    answer(pulse, vitoria, 9, 4, n=6)
    answer(pulse, logrono, 0, 1, n=2)
    return {"pulse": pulse, "vitoria": vitoria, "logrono": logrono}


def _api_rows(client: Any, pulse: Pulse) -> list[dict[str, Any]]:
    response = client.get(f"/api/pulses/{pulse.pk}/results")
    assert response.status_code == 200
    return response.json()


def _csv_rows(client: Any, pulse: Pulse) -> list[dict[str, str]]:
    response = client.get(reverse("pulses:export_csv", args=[pulse.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_small_groups_are_hidden_in_page_api_and_export(
    client: Any, org: Org, personas: Personas, north_pulse: dict[str, Any]
) -> None:
    pulse = north_pulse["pulse"]
    client.force_login(personas.analyst)
    page = client.get(reverse("pulses:results", args=[pulse.pk]), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200 and "Tienda Logroño" in html
    assert "-100" not in html and "1.00" not in html  # Logroño's figures nowhere on the page
    api = {(r["unit"], r["tenure"]): r for r in _api_rows(client, pulse)}
    assert api[("Tienda Logroño", "")]["suppressed"] is True
    assert api[("Tienda Logroño", "")]["n"] is None and api[("Tienda Logroño", "")]["enps"] is None
    assert api[("Tienda Bilbao", "")] | {"items": None} == {
        "unit_id": org.north_store.pk, "unit": "Tienda Bilbao", "tenure": "", "suppressed": False,
        "n": 7, "enps": 100.0, "engagement": 5.0, "items": None,
    }  # fmt: skip
    exported = {(r["Org unit"], r["Tenure"]): r for r in _csv_rows(client, pulse)}
    assert exported[("Tienda Logroño", "")]["eNPS"] == ""
    assert exported[("Tienda Logroño", "")]["Answers"].startswith("fewer than")
    assert exported[("Tienda Bilbao", "")]["eNPS"] == "100.0"


def test_region_total_minus_visible_stores_does_not_reveal_a_small_store(
    client: Any, org: Org, personas: Personas, north_pulse: dict[str, Any]
) -> None:
    pulse = north_pulse["pulse"]
    client.force_login(personas.analyst)
    for rows in (_api_rows(client, pulse), _csv_rows(client, pulse)):
        shown = {}
        for row in rows:
            unit, tenure = (
                row.get("unit", row.get("Org unit")),
                row.get("tenure", row.get("Tenure")),
            )
            n = row.get("n", row.get("Answers"))
            if tenure == "" and n not in (None, "") and not str(n).startswith("fewer"):
                shown[unit] = int(n)
        assert shown["Norte"] == 15  # the region is shown...
        stores = {"Tienda Bilbao", "Tienda Vitoria", "Tienda Logroño"}
        visible_stores = stores & set(shown)
        assert "Tienda Logroño" not in visible_stores
        # ...so one more store is withheld: what the region's total minus the visible stores
        # leaves is a group of at least K people, never Logroño's two.
        residual = shown["Norte"] - sum(shown[s] for s in visible_stores)
        assert residual >= K, (shown, residual)


def test_a_band_that_would_reveal_the_rest_of_its_unit_is_withheld(
    client: Any, org: Org, personas: Personas
) -> None:
    pulse = actions.do_create_pulse("Pulso", org.north_store, ["Me siento valorado."], None)
    answer(pulse, org.north_store, 10, 5, tenure="lt1", n=6)
    answer(pulse, org.north_store, 0, 1, tenure="gt3", n=2)
    client.force_login(personas.analyst)
    rows = {(r["unit"], r["tenure"]): r for r in _api_rows(client, pulse)}
    assert rows[("Tienda Bilbao", "")]["n"] == 8
    assert rows[("Tienda Bilbao", "lt1")]["suppressed"]  # 8 − 6 would be the 2 long-tenured
    assert rows[("Tienda Bilbao", "gt3")]["suppressed"]


def test_the_threshold_is_a_setting(
    client: Any, settings: Any, org: Org, personas: Personas, north_pulse: dict[str, Any]
) -> None:
    settings.PULSO_PULSE_MIN_GROUP = 10
    client.force_login(personas.analyst)
    rows = {(r["unit"], r["tenure"]): r for r in _api_rows(client, north_pulse["pulse"])}
    assert rows[("Tienda Bilbao", "")]["suppressed"]  # 7 < 10
    assert rows[("Norte", "")]["n"] == 15


def test_a_person_sees_only_the_groups_of_their_units(
    client: Any, org: Org, personas: Personas, north_pulse: dict[str, Any]
) -> None:
    client.force_login(personas.store_manager)  # manager of Bilbao
    rows = _api_rows(client, north_pulse["pulse"])  # the region's pulse, their store's rows
    assert {(r["unit"], r["n"]) for r in rows if r["tenure"] == ""} == {("Tienda Bilbao", 7)}
    assert (
        "Norte"
        not in client.get(
            reverse("pulses:export_csv", args=[north_pulse["pulse"].pk])
        ).content.decode()
    )
    client.force_login(personas.viewer)  # south region
    assert client.get(f"/api/pulses/{north_pulse['pulse'].pk}/results").status_code == 404
    assert (
        client.get(reverse("pulses:export_csv", args=[north_pulse["pulse"].pk])).status_code == 404
    )


def test_answering_keeps_no_identity_and_consumes_the_token(client: Any, org: Org) -> None:
    pulse = actions.do_create_pulse("Pulso", org.north_store, ["Me siento valorado."], None)
    [token] = actions.do_issue_invitations(pulse, org.north_store, "1to3", 1, None)
    item = pulse.items.get()
    url = f"/e/{token}/"
    assert client.get(url).status_code == 200
    bad = client.post(url, {"enps": "11"})
    assert bad.status_code == 422 and not PulseResponse.objects.exists()
    done = client.post(url, {"enps": "8", f"item_{item.pk}": "4"}, REMOTE_ADDR="10.1.2.3")
    assert done.status_code == 302
    response = PulseResponse.objects.get()
    assert (response.unit, response.tenure, response.enps) == (org.north_store, "1to3", 8)
    assert {f.name for f in PulseResponse._meta.get_fields()} == {
        "id",
        "pulse",
        "unit",
        "tenure",
        "enps",
        "answers",
    }  # no person, invitation, time, address or browser
    invitation = PulseInvitation.objects.get()
    assert invitation.is_used and token not in invitation.token_hash
    assert client.post(url, {"enps": "8", f"item_{item.pk}": "4"}).status_code == 404
    assert PulseResponse.objects.count() == 1


def test_pulses_are_created_and_invitations_issued_from_the_pages(
    client: Any, org: Org, personas: Personas
) -> None:
    client.force_login(personas.analyst)
    page = client.post(reverse("pulses:create"), {"name": "Pulso", "org_unit": org.north.pk,
                                                   "items": "Uno\nDos"})  # fmt: skip
    pulse = Pulse.objects.get()
    assert page.status_code == 302 and list(pulse.items.values_list("text", flat=True)) == [
        "Uno", "Dos"
    ]  # fmt: skip
    issued = client.post(
        reverse("pulses:invite", args=[pulse.pk]),
        {"unit": org.north_store.pk, "tenure": "", "count": 3},
    )
    assert issued.content.decode().count("/e/") == 3
    assert PulseInvitation.objects.filter(pulse=pulse, unit=org.north_store).count() == 3
    refused = client.post(reverse("pulses:invite", args=[pulse.pk]), {"unit": org.south.pk})
    assert refused.status_code == 422
    client.force_login(personas.store_manager)
    assert client.get(reverse("pulses:create")).status_code == 403
