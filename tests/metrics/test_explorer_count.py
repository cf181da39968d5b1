"""The explorer counts up to a cap and says "more than" beyond; pages seek from a row shown."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.http import QueryDict
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from pulso.metrics.explorer import Explorer, ExplorerFilterForm, Results
from tests.metrics.conftest import Data
from tests.metrics.factories import ResponseFactory, local

pytestmark = pytest.mark.django_db
JUNE = "from=2025-06-01&to=2025-06-30"


def explorer(user: Any, query: str = JUNE) -> Explorer:
    form = ExplorerFilterForm(QueryDict(query), user=user)
    assert form.is_valid(), form.errors
    return Explorer(form, user)


def test_below_the_cap_the_count_is_exact(data: Data, personas: Any) -> None:
    results = explorer(personas.admin).results(cap=100)
    assert (results.count, results.more, len(results.rows)) == (18, False, 18)
    assert (results.newer, results.older) == ("", "")  # one page: no links


def test_beyond_the_cap_the_count_stops_and_says_more(data: Data, personas: Any) -> None:
    found = explorer(personas.admin)
    results = found.results(size=5, cap=8)
    assert (results.count, results.more) == (8, True)
    assert len(results.rows) == 5  # the page itself is whole
    exact = found.results(size=5, cap=18)
    assert (exact.count, exact.more) == (18, False)


def test_the_page_says_more_than_when_the_count_stopped(data: Data, personas: Any) -> None:
    found = explorer(personas.admin)
    request = RequestFactory().get("/dashboards/explorer/")
    request.user = personas.admin
    context = {"form": ExplorerFilterForm(QueryDict(JUNE), user=personas.admin), "query": JUNE}
    with translation.override("es"):
        capped = render_to_string(
            "metrics/explorer.html", {**context, "results": found.results(cap=8)}, request
        )
        exact = render_to_string(
            "metrics/explorer.html", {**context, "results": found.results()}, request
        )
    assert "Más de 8 resultados" in capped
    assert "18 resultados" in exact and "Más de" not in exact


def _pages(user: Any, query: str, size: int, direction: str, token: str = "") -> list[Results]:
    """Every page from ``token`` on, following the ``direction`` links ("older"/"newer")."""
    pages = []
    while True:
        results = explorer(user, f"{query}&{direction}={token}" if token else query).results(
            size=size
        )
        pages.append(results)
        token = getattr(results, direction)
        if not token:
            return pages


def test_paging_forward_and_back_shows_every_row_once(data: Data, org: Any, personas: Any) -> None:
    # Rows on the same instant are told apart by their id, so none is skipped or repeated.
    for score in range(4):
        ResponseFactory(survey=data.survey, nps=score, org_unit=org.north_store,
                        submitted_at=local(2025, 6, 10))  # fmt: skip
    expected = [row.pk for row in explorer(personas.admin).results(size=100).rows]
    assert len(expected) == 22 == len(set(expected))
    forward = _pages(personas.admin, JUNE, 5, "older")
    assert [len(page.rows) for page in forward] == [5, 5, 5, 5, 2]
    assert [row.pk for page in forward for row in page.rows] == expected
    assert forward[0].newer == "" and all(page.newer for page in forward[1:])
    backward = _pages(personas.admin, JUNE, 5, "newer", forward[-1].newer)
    shown = [row.pk for page in reversed(backward) for row in page.rows]
    assert shown == expected[: len(shown)] and len(shown) == 20  # back to the first page
    assert backward[-1].newer == ""


def test_the_pages_link_to_each_other(data: Data, personas: Any) -> None:
    client = Client()
    client.force_login(personas.admin)
    first = client.get(f"/dashboards/explorer/?{JUNE}&older=").content.decode()
    token = re.search(r'older=([0-9.]+)"', first)
    assert token is None  # 18 rows fit on one page of 25
    page = explorer(personas.admin).results(size=5)
    second = client.get(f"/dashboards/explorer/?{JUNE}&older={page.older}")
    assert second.status_code == 200
    body = second.content.decode()
    assert "newer=" in body and "page=" not in body


@pytest.mark.parametrize(
    "token", ["x", "2025061012000000000.5", "20251310120000000000.5", "20250610120000000000"]
)
def test_a_bad_page_link_is_a_clear_error(data: Data, personas: Any, token: str) -> None:
    client = Client()
    client.force_login(personas.admin)
    response = client.get(f"/dashboards/explorer/?{JUNE}&older={token}", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 400
    assert "Este enlace de página no es válido." in response.content.decode()


def test_the_first_page_and_its_count_come_from_one_read_of_the_filter(
    data: Data, personas: Any
) -> None:
    found = explorer(personas.admin)
    with CaptureQueriesContext(connection) as captured:
        results = found.results(size=5, cap=100)
    statements = [q["sql"] for q in captured.captured_queries]
    assert not any("COUNT(" in sql.upper() for sql in statements), statements
    newest = found.records.order_by("-received_at", "-pk").values_list("pk", flat=True)
    assert results.count == 18 == len(newest)
    assert [row.pk for row in results.rows] == list(newest[:5])
    assert results.older and not results.newer
