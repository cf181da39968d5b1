"""Behind reverse proxies, each respondent keeps their own rate limit; without, headers are
ignored (a client cannot pick its address)."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from pulso.core.proxies import behind_proxies
from pulso.surveys.models import Response
from tests.surveys.factories import make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _two_posts_a_minute(settings: Any) -> Iterator[None]:
    cache.clear()
    settings.PULSO_PUBLIC_RATE_LIMIT = "2/m"
    # As Django's test client does: a request must not close the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def post(application: Any, path: str, forwarded_for: str | None) -> str:
    """POST a complete answer through the WSGI stack as a proxy at 10.0.0.1 would."""
    body = b"page=0&csat=4"
    environ = {
        "REQUEST_METHOD": "POST", "PATH_INFO": path, "QUERY_STRING": "",
        "CONTENT_TYPE": "application/x-www-form-urlencoded", "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body), "wsgi.errors": sys.stderr, "wsgi.url_scheme": "http",
        "SERVER_NAME": "testserver", "SERVER_PORT": "80", "HTTP_HOST": "testserver",
        "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "10.0.0.1",
    }  # fmt: skip
    if forwarded_for is not None:
        environ["HTTP_X_FORWARDED_FOR"] = forwarded_for
    statuses: list[str] = []
    body_parts = application(environ, lambda status, headers, exc=None: statuses.append(status))
    b"".join(body_parts)
    body_parts.close()
    return statuses[0].split()[0]


def test_behind_one_proxy_each_client_address_has_its_own_limit() -> None:
    survey = make_survey("csat")
    path = f"/s/{survey.public_token}/"
    app = behind_proxies(WSGIHandler(), 1)
    assert [post(app, path, f"203.0.113.{n}") for n in range(1, 5)] == ["302"] * 4
    # The same client is limited, whatever it writes into the header before the proxy's entry.
    same = [post(app, path, f"198.51.100.{n}, 203.0.113.9") for n in range(1, 4)]
    assert same == ["302", "302", "429"]
    assert Response.objects.count() == 6


def test_without_proxies_forwarded_headers_are_ignored() -> None:
    survey = make_survey("csat")
    path = f"/s/{survey.public_token}/"
    app = behind_proxies(WSGIHandler(), 0)
    statuses = [post(app, path, f"203.0.113.{n}") for n in range(1, 4)]
    assert statuses == ["302", "302", "429"]  # all from 10.0.0.1, the only address it can trust
