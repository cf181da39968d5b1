"""The agents' inbox and the knowledge base pages."""

from __future__ import annotations

from django.test import Client

from pulso.core.audit import AuditEvent
from pulso.inbox.actions import do_receive_message, do_start_conversation
from pulso.inbox.models import Article, Conversation, Message
from tests.conftest import Org, Personas


def _waiting(org: Org, unit: object = None) -> Conversation:
    conversation = do_start_conversation("chat", name="Lucía", org_unit=unit)  # type: ignore[arg-type]
    do_receive_message(conversation, "Quiero hablar con una persona")
    return conversation


def test_agents_see_conversations_waiting_for_a_person(
    client: Client, org: Org, personas: Personas, knowledge: list[Article]
) -> None:
    waiting = _waiting(org)
    do_receive_message(do_start_conversation("chat", name="Pedro"), "¿A qué hora abrís?")
    client.force_login(personas.admin)
    page = client.get("/inbox/")
    assert page.status_code == 200
    content = page.content.decode()
    assert "Lucía" in content and "Pedro" not in content
    assert "El cliente pidió una persona" in content
    assert f"/inbox/{waiting.pk}/" in content


def test_a_region_sees_only_its_teams_conversations(
    client: Client, org: Org, personas: Personas, knowledge: list[Article]
) -> None:
    ours = _waiting(org, org.north_store)
    theirs = _waiting(org, org.south_store)
    client.force_login(personas.store_manager)
    content = client.get("/inbox/").content.decode()
    assert f"/inbox/{ours.pk}/" in content and f"/inbox/{theirs.pk}/" not in content
    assert client.get(f"/inbox/{theirs.pk}/").status_code == 404


def test_an_agent_replies_and_takes_the_conversation(
    client: Client, org: Org, personas: Personas, knowledge: list[Article]
) -> None:
    conversation = _waiting(org)
    client.force_login(personas.admin)
    detail = client.get(f"/inbox/{conversation.pk}/").content.decode()
    assert "Quiero hablar con una persona" in detail  # the transcript travels with it
    response = client.post(f"/inbox/{conversation.pk}/reply/", {"text": "Hola Lucía, soy Ana."})
    assert response.status_code == 302
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.OPEN
    assert conversation.assigned_to == personas.admin
    last = conversation.messages.last()
    assert last is not None and (last.sender, last.text) == (
        Message.Sender.AGENT,
        "Hola Lucía, soy Ana.",
    )
    assert AuditEvent.objects.filter(verb="inbox.replied").exists()


def test_an_empty_reply_shows_an_error(
    client: Client, org: Org, personas: Personas, knowledge: list[Article]
) -> None:
    conversation = _waiting(org)
    client.force_login(personas.admin)
    response = client.post(f"/inbox/{conversation.pk}/reply/", {"text": ""})
    assert response.status_code == 422
    assert "Escribe la respuesta antes de enviarla." in response.content.decode()


def test_assign_to_a_team_and_close(
    client: Client, org: Org, personas: Personas, knowledge: list[Article]
) -> None:
    conversation = _waiting(org)
    client.force_login(personas.admin)
    client.post(f"/inbox/{conversation.pk}/assign/",
                {"unit": org.contact_centre.pk, "person": personas.agent.pk})  # fmt: skip
    conversation.refresh_from_db()
    assert (conversation.org_unit, conversation.assigned_to) == (org.contact_centre, personas.agent)
    client.force_login(personas.agent)
    assert client.post(f"/inbox/{conversation.pk}/close/").status_code == 302
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.CLOSED


def test_viewers_read_but_do_not_reply(
    client: Client, org: Org, personas: Personas, knowledge: list[Article]
) -> None:
    conversation = _waiting(org, org.south_store)
    client.force_login(personas.viewer)
    page = client.get(f"/inbox/{conversation.pk}/").content.decode()
    assert "Quiero hablar con una persona" in page and "Enviar respuesta" not in page
    assert client.post(f"/inbox/{conversation.pk}/reply/", {"text": "x"}).status_code == 403


def test_write_a_new_version_of_an_article(
    client: Client, personas: Personas, knowledge: list[Article]
) -> None:
    article = knowledge[0]
    client.force_login(personas.analyst)
    assert "Horario de las tiendas" in client.get("/inbox/articles/").content.decode()
    response = client.post(f"/inbox/articles/{article.pk}/", {
        "slug": "horario", "language": "es", "title": "Horario", "body": "De 10 a 22.",
        "questions": "¿A qué hora abrís?", "is_published": "on"})  # fmt: skip
    assert response.status_code == 302
    assert [v.number for v in article.versions.all()] == [2, 1]


def test_article_form_errors(client: Client, personas: Personas, knowledge: list[Article]) -> None:
    client.force_login(personas.analyst)
    response = client.post("/inbox/articles/new/", {"slug": "horario", "language": "es",
                           "title": "Otro", "body": "Texto"})  # fmt: skip
    assert response.status_code == 422
    assert "Otro artículo en este idioma tiene este identificador." in response.content.decode()
    assert client.post("/inbox/articles/new/", {}).status_code == 422


def test_viewers_read_personal_details_masked(
    client: Client, org: Org, personas: Personas, knowledge: list[Article]
) -> None:
    conversation = do_start_conversation("chat", org_unit=org.south_store)
    do_receive_message(conversation, "Mi correo es lucia.gomez@example.com, llamadme")
    client.force_login(personas.viewer)
    page = client.get(f"/inbox/{conversation.pk}/").content.decode()
    assert "lucia.gomez@example.com" not in page and "llamadme" in page
    client.force_login(personas.admin)
    assert "lucia.gomez@example.com" in client.get(f"/inbox/{conversation.pk}/").content.decode()
