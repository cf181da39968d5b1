"""/api/metrics/...: the dashboards' numbers, 422 for bad filters, scoped to the token's user."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from pulso.accounts.actions import do_create_api_token
from tests.metrics.conftest import Data

pytestmark = pytest.mark.django_db
JUNE = "from=2025-06-01&to=2025-06-30"


def api(user: Any) -> Client:
    _, raw = do_create_api_token(user, "tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_summary_with_trend(data: Data, personas: Any) -> None:
    body = api(personas.analyst).get(f"/api/metrics/summary?{JUNE}&journey=entrega&by=week").json()
    assert body["filter"]["journey"] == "entrega"
    nps = body["summary"]["nps"]
    assert nps["value"] == pytest.approx(20.0) and nps["n"] == 15 and nps["low_base"] is True
    assert nps["margin"] > 0 and body["summary"]["csat"]["value"] == 60.0
    assert body["summary"]["response_rate"] is None
    assert sum(row["n"] for row in body["trend"]) == 15
    assert [row["period"] for row in body["trend"]][:2] == ["2025-05-26", "2025-06-02"]


def test_touchpoints_and_league(data: Data, personas: Any) -> None:
    client = api(personas.admin)
    tps = client.get(f"/api/metrics/touchpoints?{JUNE}&journey=entrega").json()["touchpoints"]
    assert {t["label"]: t["responses"] for t in tps} == {
        "Entrega a domicilio": 14,
        "Instalación": 1,
    }
    units = client.get(f"/api/metrics/league?{JUNE}&kind=store").json()["units"]
    assert [(u["code"], u["nps"]["n"]) for u in units] == [("bilbao", 11), ("sevilla", 4)]


def test_scoped_to_the_user(data: Data, personas: Any) -> None:
    body = api(personas.viewer).get(f"/api/metrics/summary?{JUNE}").json()
    assert body["summary"]["nps"]["n"] == 4
    units = api(personas.viewer).get(f"/api/metrics/league?{JUNE}").json()["units"]
    assert [u["code"] for u in units] == ["sevilla"]


@pytest.mark.parametrize(
    ("query", "field"),
    [("to=yesterday", "to"), ("from=2025-02-30", "from"), ("by=year", "by"),
     ("kind=planet", "kind"), ("touchpoint=0", "touchpoint")],
)  # fmt: skip
def test_bad_filters_are_422(data: Data, personas: Any, query: str, field: str) -> None:
    path = "/api/metrics/league" if "kind" in query else "/api/metrics/summary"
    response = api(personas.admin).get(f"{path}?{query}")
    assert response.status_code == 422
    assert field in response.json()["errors"]


@pytest.mark.parametrize("query", ["journey=nope", "unit=nowhere", "touchpoint=999999"])
def test_filters_naming_no_visible_object_are_404(data: Data, personas: Any, query: str) -> None:
    response = api(personas.admin).get(f"/api/metrics/summary?{query}")
    assert response.status_code == 404
    assert query.split("=")[0] in response.json()["errors"]


def test_requires_authentication(db: None) -> None:
    assert Client().get("/api/metrics/summary").status_code == 401
