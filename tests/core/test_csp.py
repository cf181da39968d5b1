"""Every page carries the Content-Security-Policy; no page allows eval, not even a chart page
(Vega runs its expression interpreter)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {words[0]: words[1:] for words in parts}


def test_pages_forbid_inline_and_foreign_scripts(client: Client) -> None:
    policy = directives(client.get("/accounts/login/").headers["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_a_chart_page_does_not_allow_eval(client: Client, personas: Personas) -> None:
    client.force_login(personas.admin)
    page = client.get("/dashboards/")
    assert page.status_code == 200
    assert "/static/pulso/js/charts.js" in page.content.decode()
    assert "'unsafe-eval'" not in page.headers["Content-Security-Policy"]
    assert directives(page.headers["Content-Security-Policy"])["script-src"] == ["'self'"]


def test_the_api_docs_load_swagger_from_our_static_files(client: Client) -> None:
    page = client.get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()


def test_no_template_holds_inline_script_or_event_handlers() -> None:
    """The policy refuses them: they would break silently in the browser."""
    import re
    from pathlib import Path

    import pulso

    inline_script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(ld\+)?json)[^>]*>")
    handler = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
    found = []
    for template in Path(pulso.__file__).parent.rglob("templates/**/*.html"):
        text = template.read_text()
        if inline_script.search(text) or handler.search(text) or "javascript:" in text:
            found.append(str(template))
    assert found == []
