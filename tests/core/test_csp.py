"""Every page carries a strict Content-Security-Policy: scripts and styles from Pulso's static
files only, no eval (charts run Vega's expression interpreter), and no inline style but the
one carrying the request's nonce."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from django.test import Client, RequestFactory, override_settings
from django.views.defaults import server_error

import pulso
from tests.conftest import Personas
from tests.surveys.factories import make_survey

pytestmark = pytest.mark.django_db

HEADER = "Content-Security-Policy"
STYLE_NONCE = re.compile(r'<style nonce="([^"]+)">')


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {words[0]: words[1:] for words in parts}


def assert_strict(header: str, nonce: str | None) -> None:
    """No eval or inline anything; the style nonce is the page's own, or there is none."""
    policy = directives(header)
    assert "'unsafe-eval'" not in header and "'unsafe-inline'" not in header
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == (["'self'", f"'nonce-{nonce}'"] if nonce else ["'self'"])


def test_pages_forbid_inline_and_foreign_scripts(client: Client) -> None:
    policy = directives(client.get("/accounts/login/").headers[HEADER])
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]


@pytest.mark.parametrize("path", ["/dashboards/", "/cases/"], ids=["charts", "no-charts"])
def test_no_page_allows_eval_or_inline_styles(
    client: Client, personas: Personas, path: str
) -> None:
    client.force_login(personas.admin)
    page = client.get(path)
    assert page.status_code == 200
    html = page.content.decode()
    (nonce,) = STYLE_NONCE.findall(html)  # the brand colour, the page's one inline style
    assert_strict(page.headers[HEADER], nonce)
    assert ("/static/pulso/js/charts.js" in html) is (path == "/dashboards/")


def test_each_response_has_its_own_nonce(client: Client) -> None:
    first, second = (client.get("/accounts/login/") for _ in range(2))
    assert STYLE_NONCE.findall(first.content.decode()) != STYLE_NONCE.findall(
        second.content.decode()
    )


def test_an_htmx_response_holds_no_style_with_another_nonce(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.admin)
    page = client.get("/dashboards/explorer/", headers={"HX-Request": "true"})
    assert page.status_code == 200
    assert "<style" not in page.content.decode()
    assert_strict(page.headers[HEADER], None)


@override_settings(PULSO_BRAND_COLOR="red; } body { display: none")
def test_a_colour_that_is_not_hex_is_not_written_into_css(client: Client) -> None:
    page = client.get("/accounts/login/")
    assert "<style" not in page.content.decode()
    assert_strict(page.headers[HEADER], None)


def test_the_public_survey_page_keeps_to_the_policy(client: Client) -> None:
    survey = make_survey("nps")  # a scale of 11 points, laid out by the stylesheet alone
    page = client.get(f"/s/{survey.public_token}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'class="sv-question sv-scale' in html
    (nonce,) = STYLE_NONCE.findall(html)
    assert_strict(page.headers[HEADER], nonce)
    assert " style=" not in html


def test_the_error_page_is_styled_by_the_stylesheet() -> None:
    """Rendered without a request (so without a nonce): it links the stylesheet instead."""
    page = server_error(RequestFactory().get("/")).content.decode()
    assert '<link rel="stylesheet" href="/static/pulso/css/pulso.css">' in page
    assert "<style" not in page and " style=" not in page


SCRIPT = re.compile(r"<script\b([^>]*)>")
LINK = re.compile(r'<link\b[^>]*\bhref="([^"]+)"')


@pytest.mark.parametrize("path", ["/api/docs", "/api/redoc"])
def test_the_api_docs_load_everything_from_our_static_files(client: Client, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 200
    html = page.content.decode()
    sources = []
    for attributes in SCRIPT.findall(html):
        found = re.search(r'\bsrc="([^"]+)"', attributes)
        assert found or 'type="application/json"' in attributes, attributes  # no inline script
        if found:
            sources.append(found.group(1))
    assert sources and all(src.startswith("/static/") for src in sources), sources
    assert all(href.startswith("/static/") for href in LINK.findall(html))
    # No CDN host named anywhere (a word, not letters a random CSRF token or nonce may hold).
    assert not re.search(r"\bcdn\b|cdn\.|jsdelivr|unpkg", html, re.IGNORECASE)
    assert "<style" not in html
    nonce = re.search(r'nonce="([^"]+)"', html)  # Redoc's styles carry its script's nonce
    assert_strict(page.headers[HEADER], nonce.group(1) if nonce else None)
    assert (nonce is not None) is (path == "/api/redoc")


def test_the_vendored_redoc_is_django_ninjas_copy_patched() -> None:
    """Rerun scripts/vendor_redoc.py after upgrading django-ninja; it fails on a new Redoc."""
    script = Path(pulso.__file__).parents[2] / "scripts" / "vendor_redoc.py"
    spec = importlib.util.spec_from_file_location("vendor_redoc", script)
    assert spec is not None and spec.loader is not None
    vendor = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(vendor)
    vendored = Path(pulso.__file__).parent / "core" / "static" / "pulso" / "vendor"
    expected = vendor.patched(vendor.SOURCE.read_text(encoding="utf-8"))
    assert (vendored / vendor.TARGET.name).read_text(encoding="utf-8") == expected
    assert "cdn.redoc.ly" not in expected


def test_no_template_holds_inline_script_style_or_event_handlers() -> None:
    """The policy refuses them: they would break silently in the browser. E-mails are not
    pages (no policy applies to them) and keep their inline styles."""
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(ld\+)?json)[^>]*>")
    handler = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
    inline_style = re.compile(r"<[^>]+\sstyle\s*=|<style(?![^>]*\bnonce=)", re.I)
    found = []
    for template in Path(pulso.__file__).parent.rglob("templates/**/*.html"):
        text = template.read_text()
        if inline_script.search(text) or handler.search(text) or "javascript:" in text:
            found.append(str(template))
        if "/email/" not in str(template) and inline_style.search(text):
            found.append(str(template))
    assert found == []


def test_a_redirect_carries_the_settings_policy_and_follows_a_change_of_it(
    client: Client,
) -> None:
    """Responses without a nonce get the policy built once from the settings; a change of the
    settings is followed on the next response, and pages with a nonce still get theirs."""
    from csp.utils import build_policy

    survey = make_survey("csat")
    url = f"/s/{survey.public_token}/"
    answer = {"page": "0", "csat": "4"}
    first = client.post(url, answer)
    assert first.status_code == 302
    assert first.headers[HEADER] == build_policy()
    assert_strict(first.headers[HEADER], None)
    changed = {"DIRECTIVES": {"default-src": ["'self'"], "img-src": ["'self'", "https:"]}}
    with override_settings(CONTENT_SECURITY_POLICY=changed):
        second = client.post(url, answer)
        assert directives(second.headers[HEADER]) == {
            "default-src": ["'self'"],
            "img-src": ["'self'", "https:"],
        }
        assert "Content-Security-Policy-Report-Only" not in second.headers
    with override_settings(CONTENT_SECURITY_POLICY_REPORT_ONLY=changed):
        third = client.post(url, answer)
        assert third.headers["Content-Security-Policy-Report-Only"] == build_policy(
            report_only=True
        )
    assert client.post(url, answer).headers[HEADER] == first.headers[HEADER]
    page = client.get(url)
    (nonce,) = STYLE_NONCE.findall(page.content.decode())
    assert_strict(page.headers[HEADER], nonce)
