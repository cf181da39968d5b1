"""Messaging channels: a signed inbound webhook, replies through the outbox to a loopback
HTTP server standing in for the channel."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from pulso.core import webhooks
from pulso.feedback.models import Feedback
from pulso.inbox import channels
from pulso.inbox.actions import do_close, do_reply
from pulso.inbox.models import Conversation, ExternalChannel, OutboundMessage
from tests.conftest import Org, Personas

SECRET = "secreto-del-canal"
URL = "/api/inbox/webhook/whatsapp"


class Channel(BaseHTTPRequestHandler):
    """Answers with the next status of ``statuses`` and keeps what it was sent."""

    received: list[tuple[dict[str, str], bytes]]
    statuses: list[int]

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((dict(self.headers), body))
        self.send_response(self.statuses.pop(0) if self.statuses else 200)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[HTTPServer]:
    Channel.received, Channel.statuses = [], []
    httpd = HTTPServer(("127.0.0.1", 0), Channel)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def whatsapp(org: Org, server: HTTPServer) -> ExternalChannel:
    return ExternalChannel.objects.create(
        slug="whatsapp", name="WhatsApp", secret=SECRET, org_unit=org.north_store,
        outbound_url=f"http://127.0.0.1:{server.server_address[1]}/replies",
    )  # fmt: skip


def _send(client: Client, payload: Any, secret: str = SECRET, url: str = URL) -> Any:
    body = json.dumps(payload).encode()
    return client.post(url, body, content_type="application/json",
                       headers={"X-Pulso-Signature": webhooks.sign(secret, body)})  # fmt: skip


MESSAGE = {"from": "+34600111222", "name": "Lucía", "text": "¿Tenéis la lavadora X?", "id": "w1"}


def test_a_signed_message_becomes_a_conversation(client: Client, whatsapp: ExternalChannel) -> None:
    response = _send(client, MESSAGE)
    assert response.status_code == 201
    conversation = Conversation.objects.get(pk=response.json()["conversation"])
    assert (conversation.channel, conversation.external_channel, conversation.external_id) == (
        "messaging", whatsapp, "+34600111222")  # fmt: skip
    assert conversation.status == "waiting" and conversation.first_response_due is not None
    assert conversation.org_unit == whatsapp.org_unit
    (message,) = conversation.messages.all()
    assert message.feedback is not None
    assert (message.feedback.source, message.feedback.source_name) == ("chat", "WhatsApp")
    again = _send(client, MESSAGE)  # the channel retried: stored once
    assert again.status_code == 200 and again.json() == {"conversation": conversation.pk,
                                                         "created": False}  # fmt: skip
    _send(client, {**MESSAGE, "id": "w2", "text": "¿Y en blanco?"})
    assert conversation.messages.count() == 2 and Conversation.objects.count() == 1


@pytest.mark.parametrize(
    ("payload", "secret", "url", "status"),
    [
        (MESSAGE, "otro-secreto", URL, 401),
        (MESSAGE, SECRET, "/api/inbox/webhook/telegram", 404),
        ({"from": "+34600111222"}, SECRET, URL, 422),
        ({"from": "", "text": "Hola"}, SECRET, URL, 422),
        ({"from": "+34", "text": "x" * 5001}, SECRET, URL, 422),
        ({"from": 34, "text": "Hola"}, SECRET, URL, 422),
        (["no", "un", "objeto"], SECRET, URL, 422),
    ],
)
def test_bad_requests_are_refused(client: Client, whatsapp: ExternalChannel, payload: Any,
                                  secret: str, url: str, status: int) -> None:  # fmt: skip
    response = _send(client, payload, secret, url)
    assert response.status_code == status
    assert response.json()["detail"]
    assert not Conversation.objects.exists()


def test_unsigned_and_broken_bodies(client: Client, whatsapp: ExternalChannel) -> None:
    assert client.post(URL, b"{}", content_type="application/json").status_code == 401
    broken = b"{not json"
    signed = {"X-Pulso-Signature": webhooks.sign(SECRET, broken)}
    response = client.post(URL, broken, content_type="application/json", headers=signed)
    assert response.status_code == 400
    whatsapp.is_active = False
    whatsapp.save(update_fields=["is_active"])
    assert _send(client, MESSAGE).status_code == 404


def test_an_agents_reply_goes_out_signed_and_is_retried(
    client: Client, whatsapp: ExternalChannel, personas: Personas
) -> None:
    conversation = Conversation.objects.get(pk=_send(client, MESSAGE).json()["conversation"])
    Channel.statuses = [503]
    reply = do_reply(conversation, personas.store_manager, "Sí, la tenemos en Bilbao.")
    entry = OutboundMessage.objects.get(message=reply)
    assert channels.deliver(entry.pk) is False  # the channel was down
    entry.refresh_from_db()
    assert (entry.status, entry.attempts, entry.last_status_code) == ("pending", 1, 503)
    assert channels.deliver_due(timezone.now() + timedelta(hours=1)) == 1
    entry.refresh_from_db()
    assert entry.status == "sent"
    headers, body = Channel.received[-1]
    assert webhooks.verify(SECRET, body, headers["X-Pulso-Signature"])
    assert headers["X-Pulso-Event"] == "inbox.reply"
    sent = json.loads(body)
    assert (sent["to"], sent["text"], sent["conversation"]) == (
        "+34600111222", "Sí, la tenemos en Bilbao.", conversation.pk)  # fmt: skip
    assert len({h["X-Pulso-Delivery"] for h, _b in Channel.received}) == 1  # same id on retry


def test_closing_asks_the_customer_on_the_channel(
    client: Client, whatsapp: ExternalChannel, personas: Personas
) -> None:
    conversation = Conversation.objects.get(pk=_send(client, MESSAGE).json()["conversation"])
    do_close(conversation, actor=personas.store_manager)
    (entry,) = OutboundMessage.objects.all()
    assert channels.deliver(entry.pk)
    text = json.loads(Channel.received[-1][1])["text"]
    assert f"/chat/rate/{conversation.token}/" in text
    assert not Feedback.objects.filter(csat__isnull=False).exists()
