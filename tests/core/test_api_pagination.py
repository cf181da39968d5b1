"""Every paginated list of the REST API bounds its page numbers and sizes: 422, never 500."""

from __future__ import annotations

import pytest
from django.test import Client

from pulso.accounts.actions import do_create_api_token
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/customers/",
    "/api/invitations/",
    "/api/cases/",
    "/api/feedback/",
    "/api/surveys/",
    "/api/responses/",
    "/api/text/analyses",
    "/api/text/themes",
]


@pytest.mark.parametrize("url", LISTS)
def test_lists_page_and_refuse_absurd_pages(client: Client, personas: Personas, url: str) -> None:
    _token, raw = do_create_api_token(personas.admin, "integración")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    first = client.get(url, **auth)
    assert first.status_code == 200
    assert set(first.json()) >= {"items", "count"}
    for query in ("page=100000000000000000000", "page=0", "page_size=100000", "page=x"):
        assert client.get(f"{url}?{query}", **auth).status_code == 422, query
