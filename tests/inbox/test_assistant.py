from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from pulso.feedback.models import Feedback
from pulso.inbox import office_hours
from pulso.inbox.actions import do_receive_message, do_save_article, do_start_conversation
from pulso.inbox.knowledge import knowledge_base
from pulso.inbox.models import Article, Conversation, Message

MADRID = ZoneInfo("Europe/Madrid")


def _chat() -> Conversation:
    return do_start_conversation(Conversation.Channel.CHAT, language="es")


def test_answers_from_the_article_that_matches(knowledge: list[Article]) -> None:
    conversation = _chat()
    customer, reply = do_receive_message(conversation, "¿Hasta qué hora abre la tienda el sábado?")
    assert reply.sender == Message.Sender.ASSISTANT
    assert reply.text == "Nuestras tiendas abren de lunes a sábado de 9:30 a 21:00."
    assert reply.article_version is not None and reply.article_version.article.slug == "horario"
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.ASSISTANT


def test_each_customer_message_is_a_feedback_record(knowledge: list[Article]) -> None:
    customer, _reply = do_receive_message(_chat(), "¿Cuánto tarda el envío?")
    record = Feedback.objects.get(pk=customer.feedback_id)
    assert (record.source, record.channel, record.language) == ("chat", "chat", "es")
    assert record.text == "¿Cuánto tarda el envío?"
    assert Feedback.objects.count() == 1  # the assistant's answer is not feedback


def test_hands_off_when_asked(knowledge: list[Article]) -> None:
    conversation = _chat()
    _customer, reply = do_receive_message(conversation, "Quiero hablar con una persona")
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.WAITING
    assert conversation.handoff_reason == Conversation.Handoff.ASKED
    assert "persona" in reply.text and not conversation.callback_promised


def test_hands_off_an_upset_customer(knowledge: list[Article]) -> None:
    conversation = _chat()
    do_receive_message(conversation, "Es una vergüenza, el envío no ha llegado")
    conversation.refresh_from_db()
    assert conversation.handoff_reason == Conversation.Handoff.NEGATIVE


def test_hands_off_when_unsure(knowledge: list[Article]) -> None:
    conversation = _chat()
    do_receive_message(conversation, "¿Vendéis entradas para el fútbol?")
    conversation.refresh_from_db()
    assert conversation.handoff_reason == Conversation.Handoff.UNSURE
    assert conversation.status == Conversation.Status.WAITING


def test_after_the_handoff_the_assistant_stays_quiet(knowledge: list[Article]) -> None:
    conversation = _chat()
    do_receive_message(conversation, "Quiero hablar con una persona")
    added = do_receive_message(conversation, "¿A qué hora abrís?")
    assert [m.sender for m in added] == [Message.Sender.CUSTOMER]


def test_outside_office_hours_promises_a_callback(knowledge: list[Article], settings: Any) -> None:
    settings.PULSO_INBOX_OFFICE_HOURS = "1-5 09:00-18:00"
    saturday_night = datetime(2026, 12, 5, 23, 0, tzinfo=MADRID)
    assert not office_hours.is_open(saturday_night)
    assert office_hours.is_open(datetime(2026, 12, 2, 10, 0, tzinfo=MADRID))
    settings.PULSO_INBOX_OFFICE_HOURS = "6-7 00:00-00:00"  # never open (an empty window)
    conversation = _chat()
    _customer, reply = do_receive_message(conversation, "Quiero hablar con una persona")
    conversation.refresh_from_db()
    assert conversation.callback_promised
    assert "volveremos" in reply.text.lower() or "te llamaremos" in reply.text.lower()


def test_a_new_version_changes_the_answer(knowledge: list[Article]) -> None:
    article = next(a for a in knowledge if a.slug == "horario")
    do_save_article(
        slug="horario", language="es", title="Horario de las tiendas",
        body="Desde enero abrimos también los domingos, de 10:00 a 14:00.",
        questions=article.current_version().questions, article=article,  # type: ignore[union-attr]
    )  # fmt: skip
    assert article.versions.count() == 2
    _customer, reply = do_receive_message(_chat(), "¿Qué horario tenéis?")
    assert reply.text.startswith("Desde enero") and reply.article_version.number == 2  # type: ignore[union-attr]


def test_saving_the_same_text_keeps_the_version(knowledge: list[Article]) -> None:
    article = knowledge[0]
    current = article.current_version()
    assert current is not None
    do_save_article(slug=article.slug, language="es", title=current.title, body=current.body,
                    questions=current.questions, article=article)  # fmt: skip
    assert article.versions.count() == 1


def test_english_questions_get_english_articles(knowledge: list[Article]) -> None:
    do_save_article(slug="returns", language="en", title="Returns",
                    body="You have 30 days to return a product.",
                    questions="How do I return something?\nCan I get a refund?")  # fmt: skip
    answer = knowledge_base("en").answer("how can I return my order")
    assert answer is not None and answer.version.body == "You have 30 days to return a product."


def test_bad_office_hours_are_refused() -> None:
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        office_hours.parse("weekdays 9 to 6")


def test_the_threshold_setting_decides_when_to_hand_off(
    knowledge: list[Article], settings: Any
) -> None:
    settings.PULSO_ASSISTANT_THRESHOLD = "1"  # never sure enough
    conversation = _chat()
    _customer, reply = do_receive_message(conversation, "¿Qué horario tenéis?")
    conversation.refresh_from_db()
    assert conversation.handoff_reason == Conversation.Handoff.UNSURE
    assert reply.article_version is None and reply.confidence is not None
