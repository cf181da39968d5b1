"""Background tasks of the inbox (django-tasks). They take ids and are idempotent."""

from __future__ import annotations

from django_tasks import task

from pulso.inbox import channels, notices


@task()
def send_notice(notice_id: int) -> bool:
    return notices.send(notice_id)


@task()
def deliver_reply(entry_id: int) -> bool:
    return channels.deliver(entry_id)
