"""Mentions recorded from any ingest path, and replies through the inbox."""

from __future__ import annotations

import pytest

from pulso.core.events import deliver_all
from pulso.feedback.actions import do_ingest_feedback
from pulso.feedback.events import RECORDED, recorded_payload
from pulso.feedback.models import Feedback
from pulso.inbox.models import Conversation, Message
from pulso.reputation.actions import (
    do_ingest_mentions,
    do_open_reply,
    do_record_mentions,
    do_reply_to_mention,
)
from pulso.reputation.models import Brand, Mention
from tests.reputation.factories import make_mention

pytestmark = pytest.mark.django_db


def test_reviews_and_posts_of_an_api_batch_become_mentions_once(org) -> None:
    Brand.objects.create(name="Rival")
    do_ingest_feedback([
        {"source": "review", "source_name": "Trustpilot", "external_id": "t-1",
         "text": "Mejor que Rival", "rating": 5, "org_unit": "bilbao"},
        {"source": "social", "text": "Sin comentarios"},
        {"source": "contact_centre", "text": "Llamó por una factura"},
    ])  # fmt: skip
    ids = list(Feedback.objects.values_list("pk", flat=True))

    deliver_all(RECORDED, recorded_payload(ids))
    deliver_all(RECORDED, recorded_payload(ids))  # a task may run twice

    mentions = {m.feedback.source: m for m in Mention.objects.select_related("feedback")}
    assert set(mentions) == {"review", "social"}
    assert mentions["review"].network == "Trustpilot"
    assert [b.name for b in mentions["review"].brands.all()] == ["Rival"]


def test_a_mention_batch_keeps_address_handle_and_reach_and_reports_by_index() -> None:
    result = do_ingest_mentions([
        {"source": "social", "source_name": "X", "text": "¡Qué buen servicio!",
         "url": "https://x.example/s/1", "author_handle": "@ana", "reach": 1200},
        {"source": "contact_centre", "text": "No es una mención", "external_id": "c-1"},
        {"source": "review", "text": "Sin id ni dirección"},
        {"source": "review", "text": "Dirección rara", "url": "javascript:alert(1)"},
        {"source": "review", "text": "", "external_id": "r-2"},
        "no es un objeto",
    ])  # fmt: skip

    assert result.created == 1
    assert [r["index"] for r in sorted(result.rejected, key=lambda r: r["index"])] == [
        1,
        2,
        3,
        4,
        5,
    ]
    mention = Mention.objects.select_related("feedback").get()
    assert mention.feedback.external_id == "https://x.example/s/1"
    assert (mention.author_handle, mention.reach, mention.network) == ("@ana", 1200, "X")


def test_recording_mentions_ignores_other_sources_and_unknown_ids() -> None:
    note = Feedback.objects.create(source="contact_centre", text="Nota")
    assert do_record_mentions([note.pk, 999_999]) == 0
    assert not Mention.objects.exists()


def test_reply_opens_one_conversation_for_the_mentions_unit_and_stores_the_answer(
    org, personas
) -> None:
    mention = make_mention("Tardaron mucho", org_unit=org.north_store, rating=2)

    conversation = do_open_reply(mention, actor=personas.agent)
    again = do_open_reply(mention, actor=personas.agent)
    do_reply_to_mention(mention, personas.agent, "Sentimos la espera; ya está resuelto.")

    assert again == conversation
    assert Conversation.objects.count() == 1
    assert conversation.org_unit == org.north_store
    assert "Tardaron mucho" in conversation.subject and "2/5" in conversation.subject
    reply = Message.objects.get(conversation=conversation)
    assert reply.sender == Message.Sender.AGENT
    assert reply.text == "Sentimos la espera; ya está resuelto."
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.OPEN


def test_reviews_of_a_file_import_become_mentions(org) -> None:
    from pulso.feedback.actions import do_import_feedback_rows

    do_import_feedback_rows([
        (2, {"source": "review", "source_name": "TripAdvisor", "text": "Bonita tienda",
             "external_id": "ta-1", "rating": "4"}),
        (3, {"source": "email", "text": "Consulta"}),
    ], file_name="resenas.csv")  # fmt: skip
    ids = list(Feedback.objects.values_list("pk", flat=True))
    assert len(ids) == 2

    deliver_all(RECORDED, recorded_payload(ids))

    mention = Mention.objects.select_related("feedback").get()
    assert (mention.network, mention.feedback.external_id) == ("TripAdvisor", "ta-1")


def test_erasing_a_customer_erases_their_mentions_handle() -> None:
    from pulso.customers.actions import do_erase_customer
    from tests.factories import CustomerFactory

    customer = CustomerFactory(name="Lucía Gómez", email="lucia@example.com")
    mention = make_mention("Muy bien", customer=customer, author_handle="@luciag")
    kept = make_mention("Regular", author_handle="@otro")

    do_erase_customer(customer)

    mention.refresh_from_db()
    kept.refresh_from_db()
    assert (mention.author_handle, kept.author_handle) == ("", "@otro")
