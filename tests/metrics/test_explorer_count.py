"""The explorer counts exactly up to what can be paged through, and says "more than" beyond."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import QueryDict
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from pulso.metrics.explorer import COUNT_CAP, MAX_PAGE, PAGE_SIZE, Explorer, ExplorerFilterForm
from tests.metrics.conftest import Data

pytestmark = pytest.mark.django_db
JUNE = "from=2025-06-01&to=2025-06-30"


def explorer(user: Any, query: str = JUNE) -> Explorer:
    form = ExplorerFilterForm(QueryDict(query), user=user)
    assert form.is_valid(), form.errors
    return Explorer(form, user)


def test_below_the_cap_the_count_is_exact(data: Data, personas: Any) -> None:
    results = explorer(personas.admin).results(cap=100)
    assert (results.count, results.more, results.pages) == (18, False, 1)
    assert COUNT_CAP == PAGE_SIZE * MAX_PAGE  # every record a user can page to is counted


def test_beyond_the_cap_the_count_stops_and_says_more(data: Data, personas: Any) -> None:
    found = explorer(personas.admin, f"{JUNE}&page=2")
    results = found.results(size=5, cap=8)
    assert (results.count, results.more, results.pages) == (8, True, 2)
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
