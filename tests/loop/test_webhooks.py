"""Webhooks against a real HTTP receiver on 127.0.0.1: signature, retry after a 500, the log."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from pulso.core import webhooks as core_webhooks
from pulso.loop import actions, jobs, notifications, webhooks
from pulso.loop.models import Notification, Rule, Webhook, WebhookDelivery
from tests.loop.conftest import Loop, Receiver
from tests.loop.factories import ResponseFactory


@pytest.fixture
def webhook_rule(db: None, receiver: Receiver) -> Rule:
    Rule.objects.update(is_active=False)
    hook = Webhook.objects.create(name="CRM", url=receiver.url)
    return Rule.objects.create(
        name="Detractores al CRM",
        action="webhook",
        webhook=hook,
        conditions={"nps_group": ["detractor"]},
    )


def test_a_signed_event_is_retried_after_a_500_and_logged(
    webhook_rule: Rule, receiver: Receiver, loop: Loop
) -> None:
    response = ResponseFactory(touchpoint=loop.touchpoint, nps=1, comment="Fatal")
    receiver.statuses = [500]

    jobs.process_feedback(timezone.now())
    jobs.process_feedback(timezone.now())  # reprocessing queues nothing new
    delivery = WebhookDelivery.objects.get()
    now = timezone.now()
    assert webhooks.deliver(delivery.pk, now) is False

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, 500)
    assert delivery.last_error == "HTTP 500"
    assert delivery.next_attempt_at == now + timedelta(seconds=60)
    assert jobs.retry_deliveries(now + timedelta(seconds=30)) == {"emails": 0, "webhooks": 0}
    assert jobs.retry_deliveries(now + timedelta(seconds=61)) == {"emails": 0, "webhooks": 1}

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("sent", 2, 200)
    assert len(receiver.requests) == 2
    for request in receiver.requests:
        headers, body = request["headers"], request["body"]
        assert core_webhooks.verify(webhook_rule.webhook.secret, body, headers["X-Pulso-Signature"])
        assert headers["X-Pulso-Signature"].startswith("sha256=")
        assert headers["X-Pulso-Timestamp"].isdigit()
        assert headers["X-Pulso-Delivery"] == str(delivery.pk)
    assert not core_webhooks.verify("wrong-secret", body, headers["X-Pulso-Signature"])
    event = json.loads(body)
    assert event["event"] == "rule.matched"
    assert event["item"] == {**event["item"], "id": response.pk, "nps": 1, "text": "Fatal"}


def test_an_unreachable_endpoint_ends_failed_and_can_be_resent(
    webhook_rule: Rule, receiver: Receiver, loop: Loop, settings: Any
) -> None:
    settings.PULSO_DELIVERY_MAX_ATTEMPTS = 3
    Webhook.objects.update(url="http://127.0.0.1:9/closed-port")
    ResponseFactory(touchpoint=loop.touchpoint, nps=0)
    now = timezone.now()
    jobs.process_feedback(now)
    for minutes in (0, 5, 10, 20):
        jobs.retry_deliveries(now + timedelta(minutes=minutes))

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("failed", 3, None)
    assert "refused" in delivery.last_error.lower() or "errno" in delivery.last_error.lower()

    Webhook.objects.update(url=receiver.url)
    actions.do_resend_delivery(delivery)
    assert jobs.retry_deliveries(timezone.now())["webhooks"] == 1
    delivery.refresh_from_db()
    assert delivery.status == "sent"


def test_a_mail_server_failure_keeps_the_email_for_a_retry(db: None, settings: Any) -> None:
    notifications.queue_email("digest", "ana@example.com", "Asunto", "Cuerpo", "k1")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    now = timezone.now()
    assert notifications.send_due(now) == 0
    entry = Notification.objects.get()
    assert (entry.status, entry.attempts) == ("pending", 1)
    assert entry.last_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notifications.send_due(now + timedelta(minutes=2)) == 1
    assert [m.subject for m in mail.outbox] == ["Asunto"]
    assert notifications.queue_email("digest", "ana@example.com", "Asunto", "Cuerpo", "k1") is None
