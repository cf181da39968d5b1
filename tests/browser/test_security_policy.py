"""The Content-Security-Policy holds in a real browser: the language switch works without
inline script, and the API docs (Swagger UI and Redoc) render offline from Pulso's static
files."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from tests.browser.conftest import WatchedBrowser, log_in
from tests.conftest import Personas


def test_a_violation_is_seen(page: Any, live_server: Any, browser: WatchedBrowser) -> None:
    """The watch itself: an inline script on a Pulso page is refused and reported."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.evaluate("""() => {
        const script = document.createElement("script");
        script.textContent = "window.ran = true";
        document.body.appendChild(script);
    }""")
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.ran === undefined")
    assert any("Content Security Policy" in text for text in browser.violations)
    browser.violations.clear()  # expected here; any other test fails on one


def test_the_language_switch_works_without_inline_script(
    page: Any, live_server: Any, personas: Personas
) -> None:
    log_in(page, live_server, personas.analyst.username)
    page.select_option("#lang-select", "en")
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    assert page.get_by_role("button", name="Log out").is_visible()


def only_local(page: Any, live_server: Any) -> list[str]:
    """Refuse every request to another origin; the list collects their addresses."""
    local = urlsplit(live_server.url).netloc
    outside: list[str] = []

    def route_request(route: Any) -> None:
        if urlsplit(route.request.url).netloc == local:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", route_request)
    return outside


def test_api_docs_render_offline(page: Any, live_server: Any, personas: Personas) -> None:
    outside = only_local(page, live_server)
    log_in(page, live_server, personas.admin.username)
    page.goto(f"{live_server.url}/api/docs")
    page.locator(".swagger-ui .info .title").wait_for()
    assert "Pulso API" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".opblock").count() > 10
    assert outside == []


def test_redoc_renders_offline(page: Any, live_server: Any) -> None:
    outside = only_local(page, live_server)
    page.goto(f"{live_server.url}/api/redoc")
    title = page.locator(".api-info h1")
    title.wait_for()
    assert "Pulso API" in title.inner_text()
    assert page.locator("[data-item-id^='tag/'], [data-item-id^='operation/']").count() > 10
    # Redoc's generated styles are applied: they carry the nonce the policy admits.
    assert page.evaluate("() => document.querySelectorAll('style').length") > 0
    assert page.evaluate("() => [...document.querySelectorAll('style')].every(s => s.nonce)")
    assert outside == []
