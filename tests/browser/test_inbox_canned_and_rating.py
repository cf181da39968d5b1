"""Browser: an agent fills the reply from a canned answer (HTMX under the CSP), closes the
chat, and the visitor rates it from 1 to 5 in the widget."""

from __future__ import annotations

from typing import Any

from pulso.accounts.models import OrgUnit, Role
from pulso.inbox.actions import do_save_canned_answer
from pulso.inbox.models import Conversation
from tests.browser.conftest import log_in
from tests.browser.test_chat_widget import shop_site  # noqa: F401 - the fixture
from tests.factories import MembershipFactory, OrgUnitFactory, UserFactory


def test_canned_answer_then_rating(
    browser: Any, page: Any, live_server: Any, shop_site: str, settings: Any,  # noqa: F811
    transactional_db: None,
) -> None:  # fmt: skip
    settings.PULSO_CHAT_ALLOWED_ORIGINS = [shop_site]
    settings.PULSO_INBOX_OFFICE_HOURS = "always"
    company = OrgUnitFactory(name="ElectroHogar", code="eh", kind=OrgUnit.Kind.COMPANY)
    MembershipFactory(user=UserFactory(username="ana", first_name="Ana"), unit=company,
                      role=Role.AGENT)  # fmt: skip
    text = "Hola {nombre}, soy {agente}. Tu consulta es la {numero}."
    do_save_canned_answer(actor=None, title="Saludo", language="es", text=text)

    page.goto(f"{shop_site}/index.html")
    page.get_by_role("button", name="¿Hablamos?").click()
    chat = page.get_by_role("dialog", name="Atención al cliente")
    chat.get_by_role("button", name="Hablar con una persona").click()
    chat.get_by_role("log").get_by_text("Te paso con una persona").wait_for()
    conversation = Conversation.objects.get()

    agent_context = browser.new_context(locale="es-ES", viewport={"width": 1280, "height": 900})
    agent = agent_context.new_page()
    agent.set_default_timeout(15_000)
    log_in(agent, live_server, "ana")
    agent.goto(f"{live_server.url}/inbox/{conversation.pk}/")
    agent.get_by_label("Respuesta predefinida").select_option(label="Saludo")
    box = agent.get_by_label("Tu respuesta")
    expected = f"Hola cliente, soy Ana. Tu consulta es la {conversation.pk}."
    agent.wait_for_function(
        "t => document.querySelector('#reply-text textarea').value === t", arg=expected
    )
    assert box.input_value() == expected
    agent.get_by_role("button", name="Enviar respuesta").click()
    agent.get_by_role("button", name="Cerrar la conversación").click()
    agent_context.close()

    chat.get_by_text("¿Qué tal te hemos atendido?").wait_for()
    chat.locator("[data-score='4']").click()
    chat.get_by_text("¡Gracias por tu valoración!").wait_for()
    conversation.refresh_from_db()
    assert conversation.csat_feedback is not None and conversation.csat_feedback.csat == 4
