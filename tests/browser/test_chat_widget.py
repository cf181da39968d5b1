"""Browser: a visitor chats through the widget embedded on a plain page of another site; the
assistant answers from an article, the visitor asks for a person, an agent replies from the
inbox, and the visitor reads the reply in the widget."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from pulso.accounts.models import OrgUnit, Role
from pulso.inbox.actions import do_save_article
from pulso.inbox.models import Conversation, Message
from tests.browser.conftest import log_in, screenshot
from tests.factories import MembershipFactory, OrgUnitFactory, UserFactory
from tests.inbox.conftest import ARTICLES

PAGE = """<!doctype html>
<html lang="es"><head><meta charset="utf-8"><title>Tienda ElectroHogar</title></head>
<body><h1>Bienvenido a ElectroHogar</h1><p>Electrodomésticos con instalación.</p>
<script src="{pulso}/static/inbox/widget.js" data-language="es" data-poll="500" defer></script>
</body></html>
"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def shop_site(tmp_path: Path, live_server: Any) -> Iterator[str]:
    """A plain static site on another origin (another port) that embeds the widget."""
    (tmp_path / "index.html").write_text(PAGE.format(pulso=live_server.url), encoding="utf-8")
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(_Quiet, directory=str(tmp_path))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_visitor_chats_with_the_assistant_then_a_person(
    browser: Any, page: Any, live_server: Any, shop_site: str, settings: Any,
    transactional_db: None,
) -> None:  # fmt: skip
    settings.PULSO_CHAT_ALLOWED_ORIGINS = [shop_site]
    settings.PULSO_INBOX_OFFICE_HOURS = "always"
    company = OrgUnitFactory(name="ElectroHogar", code="eh", kind=OrgUnit.Kind.COMPANY)
    MembershipFactory(user=UserFactory(username="ana", first_name="Ana"), unit=company,
                      role=Role.AGENT)  # fmt: skip
    for slug, title, body, questions in ARTICLES:
        do_save_article(slug=slug, language="es", title=title, body=body, questions=questions)

    page.goto(f"{shop_site}/index.html")
    page.get_by_role("button", name="¿Hablamos?").click()
    chat = page.get_by_role("dialog", name="Atención al cliente")
    log = chat.get_by_role("log")
    log.get_by_text("¡Hola! Soy el asistente virtual.").wait_for()
    chat.get_by_label("Escribe tu pregunta").fill("¿Cuánto tarda en llegar el envío?")
    chat.get_by_role("button", name="Enviar").click()
    log.get_by_text("Los pedidos online llegan en 2 a 4 días laborables").wait_for()
    screenshot(page, "chat-1-assistant-answers")

    chat.get_by_label("Escribe tu pregunta").fill("Quiero hablar con una persona")
    chat.get_by_role("button", name="Enviar").click()
    log.get_by_text("Te paso con una persona de nuestro equipo").wait_for()
    conversation = Conversation.objects.get()
    assert conversation.status == Conversation.Status.WAITING
    assert conversation.handoff_reason == Conversation.Handoff.ASKED

    agent_context = browser.new_context(locale="es-ES", viewport={"width": 1280, "height": 900})
    agent = agent_context.new_page()
    agent.set_default_timeout(15_000)
    log_in(agent, live_server, "ana")
    agent.goto(f"{live_server.url}/inbox/")
    agent.get_by_role("link", name=str(conversation)).click()
    transcript = agent.locator("#transcript").inner_text()
    assert "¿Cuánto tarda en llegar el envío?" in transcript  # the whole context travels
    agent.get_by_label("Tu respuesta").fill("Hola, soy Ana. ¿Me das tu número de pedido?")
    agent.get_by_role("button", name="Enviar respuesta").click()
    agent.get_by_text("Respuesta enviada.").wait_for()
    screenshot(agent, "chat-2-agent-replies")
    agent_context.close()

    reply = log.locator("li[data-from='agent']")
    reply.get_by_text("Hola, soy Ana. ¿Me das tu número de pedido?").wait_for()
    path = screenshot(page, "chat-3-visitor-reads-the-reply")
    assert path.stat().st_size > 10_000
    senders = list(conversation.messages.values_list("sender", flat=True))
    assert senders == [
        Message.Sender.CUSTOMER, Message.Sender.ASSISTANT,
        Message.Sender.CUSTOMER, Message.Sender.ASSISTANT, Message.Sender.AGENT,
    ]  # fmt: skip
