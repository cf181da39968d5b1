"""Canned answers: managed like the knowledge base, filled in a conversation's reply box."""

from __future__ import annotations

from django.test import Client

from pulso.core.audit import AuditEvent
from pulso.inbox.actions import do_save_canned_answer, do_start_conversation
from pulso.inbox.models import CannedAnswer, Conversation
from tests.conftest import Org, Personas

GREETING_ES = "Hola {nombre}, soy {agente}. Sobre tu consulta {numero}: {desconocido}"


def _answers(org: Org) -> dict[str, CannedAnswer]:
    def save(title: str, text: str, language: str, unit: object = None) -> CannedAnswer:
        return do_save_canned_answer(actor=None, title=title, text=text, language=language,
                                     org_unit=unit)  # fmt: skip

    return {
        "es": save("Saludo", GREETING_ES, "es"),
        "en": save("Greeting", "Hi {name}, about your request {number}.", "en"),
        "north": save("Tiendas del norte", "En Bilbao abrimos a las 10.", "es", org.north),
        "south": save("Tiendas del sur", "En Sevilla abrimos a las 9.", "es", org.south),
    }


def test_create_edit_and_delete(client: Client, org: Org, personas: Personas) -> None:
    client.force_login(personas.analyst)
    response = client.post("/inbox/canned/new/", {"title": "Saludo", "text": "Hola {nombre}",
                           "language": "es", "org_unit": org.north.pk})  # fmt: skip
    assert response.status_code == 302
    answer = CannedAnswer.objects.get()
    assert (answer.title, answer.org_unit) == ("Saludo", org.north)
    assert "Saludo" in client.get("/inbox/canned/").content.decode()
    client.post(f"/inbox/canned/{answer.pk}/", {"title": "Bienvenida", "text": "Hola",
                "language": "es", "org_unit": ""})  # fmt: skip
    answer.refresh_from_db()
    assert (answer.title, answer.org_unit) == ("Bienvenida", None)
    assert "Bienvenida" in client.get(f"/inbox/canned/{answer.pk}/delete/").content.decode()
    assert client.post(f"/inbox/canned/{answer.pk}/delete/").status_code == 302
    assert not CannedAnswer.objects.exists()
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"inbox.canned_saved", "inbox.canned_deleted"} <= verbs


def test_form_errors(client: Client, personas: Personas) -> None:
    client.force_login(personas.analyst)
    response = client.post("/inbox/canned/new/", {"title": "", "text": "x", "language": "fr"})
    assert response.status_code == 422
    assert "Este campo es obligatorio." in response.content.decode()
    assert not CannedAnswer.objects.exists()


def test_agents_use_but_do_not_manage_them(client: Client, personas: Personas) -> None:
    client.force_login(personas.agent)
    assert client.get("/inbox/canned/").status_code == 403
    assert client.post("/inbox/canned/new/", {"title": "x"}).status_code == 403


def test_the_reply_box_lists_the_answers_of_the_conversations_language_and_team(
    client: Client, org: Org, personas: Personas
) -> None:
    answers = _answers(org)
    conversation = do_start_conversation("email", name="Lucía", org_unit=org.north_store)
    client.force_login(personas.store_manager)
    page = client.get(f"/inbox/{conversation.pk}/").content.decode()
    assert f'hx-get="/inbox/{conversation.pk}/canned/"' in page
    shown = [a for a in answers.values() if f'<option value="{a.pk}">{a.title}</option>' in page]
    assert shown == [answers["es"], answers["north"]]  # not English, not the south's
    assert "<script>" not in page  # the CSP forbids inline scripts


def test_choosing_one_fills_in_the_reply(client: Client, org: Org, personas: Personas) -> None:
    answers = _answers(org)
    conversation = do_start_conversation("email", name="Lucía", org_unit=org.north_store)
    client.force_login(personas.store_manager)
    url = f"/inbox/{conversation.pk}/canned/"
    filled = client.get(url, {"answer": answers["es"].pk}, headers={"HX-Request": "true"})
    assert filled.status_code == 200
    text = filled.content.decode()
    assert 'id="reply-text"' in text and 'name="text"' in text
    assert f"Hola Lucía, soy manager. Sobre tu consulta {conversation.pk}: {{desconocido}}" in text
    # Another team's answer, one in another language, or nonsense: an empty box, no error.
    for bad in (answers["south"].pk, answers["en"].pk, "x", ""):
        refused = client.get(url, {"answer": bad})
        assert refused.status_code == 200 and "Sevilla" not in refused.content.decode()


def test_english_conversations_get_english_placeholders(
    client: Client, org: Org, personas: Personas
) -> None:
    answers = _answers(org)
    conversation = do_start_conversation("chat", language="en")
    Conversation.objects.filter(pk=conversation.pk).update(status="waiting")
    client.force_login(personas.admin)
    text = client.get(f"/inbox/{conversation.pk}/canned/", {"answer": answers["en"].pk})
    assert f"Hi customer, about your request {conversation.pk}." in text.content.decode()
