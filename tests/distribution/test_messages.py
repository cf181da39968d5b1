"""What customers receive: email content and language, SMS through the console and HTTP
providers (a real HTTP server on 127.0.0.1), unsubscribe links that work."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from pulso.surveys.distribution.actions import do_send_invitation
from pulso.surveys.distribution.sms import get_sms_provider
from pulso.surveys.models import Invitation
from tests.distribution.factories import ContactableCustomerFactory, InvitationFactory

pytestmark = pytest.mark.django_db
Status = Invitation.Status


def sent_email(settings: Any, **customer: Any) -> tuple[Invitation, mail.EmailMultiAlternatives]:
    settings.PULSO_BASE_URL = "https://encuestas.acme.es"
    settings.PULSO_COMPANY_NAME = "Acme Hogar"
    invitation = InvitationFactory(customer=ContactableCustomerFactory(**customer))
    assert do_send_invitation(invitation.pk) == Status.SENT
    (message,) = mail.outbox
    return invitation, message  # type: ignore[return-value]


def test_spanish_email_has_personal_link_unsubscribe_link_and_branding(settings: Any) -> None:
    invitation, message = sent_email(settings, name="Lucía", language="es")
    link = f"https://encuestas.acme.es/s/i/{invitation.token}/"
    html = message.alternatives[0][0]  # type: ignore[index]
    assert message.subject == "Acme Hogar quiere conocer tu opinión"
    assert message.to == [invitation.customer.email]
    assert "Hola, Lucía:" in message.body and link in message.body
    assert "«Tu opinión sobre la tienda»" in message.body
    assert "https://encuestas.acme.es/customers/unsubscribe/" in message.body
    assert f'href="{link}"' in html and "Responder la encuesta" in html
    assert "Acme Hogar" in html and settings.PULSO_BRAND_COLOR in html
    assert message.extra_headers["List-Unsubscribe"].startswith(
        "<https://encuestas.acme.es/customers/unsubscribe/"
    )


def test_english_customer_gets_the_english_email(settings: Any) -> None:
    invitation, message = sent_email(settings, name="John", language="en")
    assert message.subject == "Acme Hogar would like your opinion"
    assert "Hello John," in message.body
    assert "“Your opinion of the store”" in message.body
    assert "Answer the survey" in message.alternatives[0][0]  # type: ignore[index]


def test_unsubscribe_link_from_the_email_opts_the_customer_out(
    settings: Any, client: Client
) -> None:
    invitation, message = sent_email(settings)
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    path = url.removeprefix("https://encuestas.acme.es")
    page = client.get(path)
    assert page.status_code == 200 and "Sí, darme de baja" in page.content.decode()
    invitation.customer.refresh_from_db()
    assert not invitation.customer.is_unsubscribed  # GET alone changes nothing
    done = client.post(path)
    assert "No recibirás más encuestas" in done.content.decode()
    invitation.customer.refresh_from_db()
    assert invitation.customer.is_unsubscribed


def test_tampered_unsubscribe_token_is_refused(client: Client) -> None:
    response = client.post("/customers/unsubscribe/eyJjIjoxfQ:forged:sig/")
    assert response.status_code == 404
    assert "Este enlace no es válido" in response.content.decode()


def test_console_sms_provider_logs_the_message(settings: Any, caplog: Any) -> None:
    settings.PULSO_SMS_PROVIDER = "console"
    invitation = InvitationFactory(channel="sms", customer__phone="+34600111222")
    with caplog.at_level(logging.WARNING, logger="pulso.sms"):
        assert do_send_invitation(invitation.pk) == Status.SENT
    (record,) = [r for r in caplog.records if r.name == "pulso.sms"]
    assert "+34600111222" in record.getMessage()
    assert f"/s/i/{invitation.token}/" in record.getMessage()


class FakeProvider(BaseHTTPRequestHandler):
    received: list[dict[str, Any]] = []
    answer_status = 200

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append({"json": json.loads(body), "auth": self.headers.get("Authorization")})
        self.send_response(self.answer_status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"id": "msg-1"}' if self.answer_status < 300 else b'{"error": "no"}')

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def provider(settings: Any) -> Iterator[type[FakeProvider]]:
    FakeProvider.received, FakeProvider.answer_status = [], 200
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeProvider)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.PULSO_SMS_PROVIDER = "http"
    settings.PULSO_SMS_HTTP_URL = f"http://127.0.0.1:{server.server_port}/sms"
    settings.PULSO_SMS_HTTP_TOKEN = "s3cret"
    yield FakeProvider
    server.shutdown()
    server.server_close()


def test_http_sms_provider_posts_json_with_bearer_token(provider: type[FakeProvider]) -> None:
    invitation = InvitationFactory(channel="sms", customer__phone="+34600111222")
    assert do_send_invitation(invitation.pk) == Status.SENT
    (request,) = provider.received
    assert request["auth"] == "Bearer s3cret"
    assert request["json"]["to"] == "+34600111222"
    assert request["json"]["reference"] == invitation.token
    assert f"/s/i/{invitation.token}/" in request["json"]["body"]
    invitation.refresh_from_db()
    assert invitation.status == Status.SENT and "msg-1" in invitation.status_detail


@pytest.mark.parametrize(("code", "status"), [(422, Status.BOUNCED), (503, Status.FAILED)])
def test_http_sms_provider_errors_are_recorded(
    provider: type[FakeProvider], code: int, status: str
) -> None:
    provider.answer_status = code
    invitation = InvitationFactory(channel="sms")
    assert do_send_invitation(invitation.pk) == status
    invitation.refresh_from_db()
    assert invitation.status == status and invitation.status_detail.startswith(f"HTTP {code}")


def test_unreachable_sms_provider_is_a_failure(settings: Any) -> None:
    settings.PULSO_SMS_PROVIDER = "http"
    settings.PULSO_SMS_HTTP_URL = "http://127.0.0.1:9/sms"
    invitation = InvitationFactory(channel="sms")
    assert do_send_invitation(invitation.pk) == Status.FAILED
    invitation.refresh_from_db()
    assert "unreachable" in invitation.status_detail


def test_misconfigured_sms_provider_fails_fast(settings: Any) -> None:
    settings.PULSO_SMS_PROVIDER = "carrier-pigeon"
    with pytest.raises(ImproperlyConfigured):
        get_sms_provider()
    settings.PULSO_SMS_PROVIDER, settings.PULSO_SMS_HTTP_URL = "http", ""
    with pytest.raises(ImproperlyConfigured):
        get_sms_provider()
