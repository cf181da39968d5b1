"""Handing a conversation over to another team, with a note and the whole transcript."""

from __future__ import annotations

from django.core import mail
from django.test import Client

from pulso.core.audit import AuditEvent
from pulso.inbox import notices
from pulso.inbox.actions import do_receive_message, do_reply, do_start_conversation
from pulso.inbox.models import Conversation, ConversationEvent
from tests.conftest import Org, Personas

NOTE = "Pide la instalación de una lavadora: es cosa del centro de atención."


def _opened(org: Org, personas: Personas) -> Conversation:
    conversation = do_start_conversation("email", name="Lucía", email="lucia@example.com",
                                         org_unit=org.north_store)  # fmt: skip
    do_receive_message(conversation, "Quiero que me instalen la lavadora el lunes")
    do_reply(conversation, personas.store_manager, "Lo consulto, Lucía.")
    return conversation


def test_the_receiving_team_sees_transcript_note_and_who(
    client: Client, org: Org, personas: Personas
) -> None:
    conversation = _opened(org, personas)
    client.force_login(personas.store_manager)
    response = client.post(f"/inbox/{conversation.pk}/hand-over/",
                           {"unit": org.contact_centre.pk, "note": NOTE})  # fmt: skip
    assert response.status_code == 302
    conversation.refresh_from_db()
    assert conversation.org_unit == org.contact_centre
    assert conversation.assigned_to is None and conversation.status == "waiting"
    event = ConversationEvent.objects.get(conversation=conversation)
    assert (event.kind, event.actor, event.from_unit, event.to_unit, event.note) == (
        "handover", personas.store_manager, org.north_store, org.contact_centre, NOTE)  # fmt: skip
    assert AuditEvent.objects.filter(verb="inbox.handed_over").exists()
    client.force_login(personas.agent)  # of the contact centre
    page = client.get(f"/inbox/{conversation.pk}/").content.decode()
    assert "Quiero que me instalen la lavadora el lunes" in page  # the transcript
    assert "Lo consulto, Lucía." in page
    assert NOTE in page
    assert "manager lo pasó de Tienda Bilbao a Contact centre" in page
    assert f"/inbox/{conversation.pk}/" in client.get("/inbox/").content.decode()


def test_the_receiving_team_is_told_by_email(org: Org, personas: Personas) -> None:
    from pulso.inbox.actions import do_hand_over

    conversation = _opened(org, personas)
    do_hand_over(conversation, actor=personas.store_manager, unit=org.contact_centre, note=NOTE)
    assert notices.send_due() == 1
    (sent,) = mail.outbox
    assert sent.to == [personas.agent.email]
    assert f"#{conversation.pk}" in sent.subject and NOTE in sent.body
    assert f"/inbox/{conversation.pk}/" in sent.body


def test_handing_over_needs_a_note(client: Client, org: Org, personas: Personas) -> None:
    conversation = _opened(org, personas)
    client.force_login(personas.store_manager)
    response = client.post(f"/inbox/{conversation.pk}/hand-over/",
                           {"unit": org.contact_centre.pk, "note": ""})  # fmt: skip
    assert response.status_code == 422
    assert "Explica al equipo por qué se la pasas." in response.content.decode()
    bad_unit = client.post(f"/inbox/{conversation.pk}/hand-over/", {"unit": "x", "note": NOTE})
    assert bad_unit.status_code == 422
    conversation.refresh_from_db()
    assert conversation.org_unit == org.north_store


def test_after_handing_it_away_the_sender_goes_back_to_the_list(
    client: Client, org: Org, personas: Personas
) -> None:
    conversation = _opened(org, personas)
    client.force_login(personas.store_manager)
    response = client.post(f"/inbox/{conversation.pk}/hand-over/",
                           {"unit": org.south_store.pk, "note": NOTE})  # fmt: skip
    assert response["Location"] == "/inbox/"
    assert client.get(f"/inbox/{conversation.pk}/").status_code == 404
