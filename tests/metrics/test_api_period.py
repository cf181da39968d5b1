"""The dashboards' period: a long one is shortened to five years, an inverted one is empty;
the API and the pages say so instead of refusing the request."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from pulso.accounts.actions import do_create_api_token
from tests.metrics.conftest import Data

pytestmark = pytest.mark.django_db


def api(user: Any) -> Client:
    _, raw = do_create_api_token(user, "tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_a_period_over_five_years_is_the_five_years_to_its_end(data: Data, personas: Any) -> None:
    answer = api(personas.analyst).get("/api/metrics/summary?from=2001-01-01&to=2025-06-30")
    assert answer.status_code == 200
    body = answer.json()
    assert body["filter"]["adjusted"] == "clamped"
    assert (body["filter"]["from"], body["filter"]["to"]) == ("2020-06-26", "2025-06-30")
    same = api(personas.analyst).get("/api/metrics/summary?from=2020-06-26&to=2025-06-30").json()
    assert same["filter"]["adjusted"] is None
    assert body["summary"] == same["summary"] and body["summary"]["nps"]["n"] > 0


@pytest.mark.parametrize(
    "path", ["/api/metrics/summary", "/api/metrics/touchpoints", "/api/metrics/league"]
)
def test_a_start_after_the_end_is_the_empty_period(data: Data, personas: Any, path: str) -> None:
    answer = api(personas.admin).get(f"{path}?from=2025-06-30&to=2025-06-01")
    assert answer.status_code == 200
    body = answer.json()
    assert body["filter"]["adjusted"] == "empty"
    assert (body["filter"]["from"], body["filter"]["to"]) == ("2025-06-30", "2025-06-01")
    if "summary" in body:
        assert body["summary"]["nps"]["n"] == 0 and body["trend"] == []
    rows = body.get("touchpoints", body.get("units", []))
    assert all(row["responses"] == 0 for row in rows if "responses" in row)


def test_benchmarks_and_drivers_take_the_same_period(data: Data, personas: Any) -> None:
    client = api(personas.admin)
    references = client.get("/api/benchmarks/references?from=2025-06-30&to=2025-06-01")
    assert references.status_code == 200
    drivers = client.get("/api/drivers?from=1000-01-01&to=2025-06-30")
    assert drivers.status_code == 200
    assert drivers.json()["filter"]["adjusted"] == "clamped"


@pytest.mark.parametrize(
    ("query", "used"),
    [("from=0001-01-01&to=0001-01-02", ("1900-01-01", "1900-01-01")),
     ("from=9999-12-01&to=9999-12-31", ("2999-12-31", "2999-12-31"))],
)  # fmt: skip
def test_days_beyond_any_feedback_count_as_the_nearest_one_held(
    data: Data, personas: Any, query: str, used: tuple[str, str]
) -> None:
    answer = api(personas.admin).get(f"/api/metrics/summary?{query}&by=day")
    assert answer.status_code == 200
    body = answer.json()
    assert (body["filter"]["from"], body["filter"]["to"]) == used
    assert body["summary"]["nps"]["n"] == 0


def test_bad_dates_are_still_refused_naming_the_field(data: Data, personas: Any) -> None:
    answer = api(personas.admin).get("/api/metrics/summary?from=2025-13-01")
    assert answer.status_code == 422
    assert "from" in answer.json()["errors"]


@pytest.mark.parametrize(
    ("query", "note"),
    [("from=2025-06-30&to=2025-06-01", "el periodo está vacío"),
     ("from=2001-01-01&to=2025-06-30", "cinco años como máximo")],
)  # fmt: skip
@pytest.mark.parametrize(
    "page",
    ["/dashboards/", "/dashboards/league/", "/dashboards/explorer/", "/drivers/", "/benchmarks/"],
)
def test_the_pages_show_the_period_used_and_say_why(
    client: Client, data: Data, personas: Any, query: str, note: str, page: str
) -> None:
    client.force_login(personas.admin)
    answer = client.get(f"{page}?{query}", HTTP_ACCEPT_LANGUAGE="es")
    assert answer.status_code == 200
    assert note in answer.content.decode()
    assert b'role="alert"' not in answer.content
