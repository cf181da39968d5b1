"""CSAT when a conversation closes: asked in the widget (chat) or by a link (email), stored as a
feedback record of the conversation, the assistant's measured apart."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from pulso.feedback.models import Feedback
from pulso.inbox import notices
from pulso.inbox.actions import (
    do_close,
    do_receive_message,
    do_record_satisfaction,
    do_reply,
    do_start_conversation,
    rating_url,
)
from pulso.inbox.models import Article, Conversation
from tests.conftest import Org, Personas

SITE = "https://tienda.example.com"


@pytest.fixture(autouse=True)
def _chat_settings(settings: Any, db: None) -> None:
    settings.PULSO_CHAT_ALLOWED_ORIGINS = [SITE]
    settings.PULSO_CHAT_POST_RATE = "100/m"
    settings.PULSO_CHAT_POLL_RATE = "100/m"
    cache.clear()


def _post(client: Client, url: str, body: Any, token: str) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json",
                       headers={"Origin": SITE, "X-Pulso-Chat-Token": token})  # fmt: skip


def test_the_widget_asks_once_the_chat_ends(client: Client, knowledge: list[Article]) -> None:
    started = _post(client, "/chat/conversations/", {"language": "es"}, "").json()
    base, token = f"/chat/conversations/{started['id']}/", started["token"]
    assert (
        _post(client, base + "messages/", {"text": "¿Cuándo llega mi pedido?"}, token).json()[
            "rate"
        ]
        is False
    )
    assert _post(client, base + "rating/", {"score": 5}, token).status_code == 409  # still open
    ended = _post(client, base + "end/", {}, token)
    assert ended.status_code == 200 and ended.json()["rate"] is True
    for bad in ({"score": 0}, {"score": 6}, {"score": "cinco"}, {"score": True}, []):
        assert _post(client, base + "rating/", bad, token).status_code == 422
    assert _post(client, base + "rating/", {"score": 5}, "other-token").status_code == 404
    rated = _post(client, base + "rating/", {"score": 5}, token)
    assert rated.status_code == 201 and rated.json()["rate"] is False
    assert _post(client, base + "rating/", {"score": 1}, token).status_code == 409
    conversation = Conversation.objects.get(pk=started["id"])
    record = conversation.csat_feedback
    assert record is not None
    assert (record.source, record.csat, record.rating_scale_max) == ("chat", 5, 5)
    assert conversation.handled_by_assistant_alone


def test_email_customers_get_a_one_click_link(client: Client, org: Org, personas: Personas) -> None:
    conversation = do_start_conversation("email", name="Lucía", email="lucia@example.com",
                                         org_unit=org.north_store)  # fmt: skip
    do_receive_message(conversation, "Mi pedido no ha llegado")
    do_reply(conversation, personas.store_manager, "Ya está en camino.")
    do_close(conversation, actor=personas.store_manager)
    notices.send_due()
    (question,) = [m for m in mail.outbox if "[#" in m.subject and m.to == ["lucia@example.com"]
                   and "1 a 5" in m.body]  # fmt: skip
    link = rating_url(conversation)
    assert link in question.body
    path = link.split("://", 1)[1].split("/", 1)[1]
    page = client.get(f"/{path}")
    assert page.status_code == 200
    content = page.content.decode()
    assert all(f'value="{n}"' in content for n in range(1, 6))
    assert client.post(f"/{path}", {"score": "9"}).status_code == 422
    done = client.post(f"/{path}", {"score": "2"})
    assert done.status_code == 200 and "Gracias por tu respuesta" in done.content.decode()
    conversation.refresh_from_db()
    record = conversation.csat_feedback
    assert record is not None and (record.source, record.csat) == ("email", 2)
    assert record.org_unit == org.north_store
    client.post(f"/{path}", {"score": "5"})  # a second click changes nothing
    assert Feedback.objects.filter(csat__isnull=False).count() == 1
    client.force_login(personas.store_manager)
    assert "2 de 5" in client.get(f"/inbox/{conversation.pk}/").content.decode()


def test_the_page_of_an_unknown_or_open_conversation_is_not_found(client: Client, org: Org) -> None:
    assert client.get("/chat/rate/not-a-token/").status_code == 404
    conversation = do_start_conversation("email", email="lucia@example.com")
    assert client.get(f"/chat/rate/{conversation.token}/").status_code == 404


def test_the_inbox_shows_the_assistants_csat_apart(
    client: Client, org: Org, personas: Personas, knowledge: list[Article]
) -> None:
    def rated(score: int, with_person: bool) -> None:
        conversation = do_start_conversation("chat", org_unit=org.north_store)
        do_receive_message(conversation, "¿Cuándo llega mi pedido?")
        if with_person:
            do_reply(conversation, personas.store_manager, "Hola")
        do_close(conversation, actor=None)
        do_record_satisfaction(conversation, score)

    for score in (5, 4, 3):
        rated(score, with_person=False)
    rated(2, with_person=True)
    client.force_login(personas.store_manager)
    header = client.get("/inbox/").content.decode().split('class="csat-summary"')[1][:600]
    people, assistant = header.split("con el asistente solo")
    assert "<strong>2,0</strong> (1 respuesta)" in people
    assert "<strong>4,0</strong> (3 respuestas)" in assistant
    client.force_login(personas.viewer)  # the south: none of these
    assert "<strong>—</strong> (0 respuestas)" in client.get("/inbox/").content.decode()
