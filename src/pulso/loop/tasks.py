"""Background tasks of the closed loop (django-tasks). They take ids and are idempotent."""

from __future__ import annotations

from django_tasks import task

from pulso.loop import notifications, webhooks


@task()
def send_notification(notification_id: int) -> bool:
    return notifications.send(notification_id)


@task()
def deliver_webhook(delivery_id: int) -> bool:
    return webhooks.deliver(delivery_id)
