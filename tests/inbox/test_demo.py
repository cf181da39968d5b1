"""The demo company's inbox: a Spanish knowledge base and past conversations, some answered by
the assistant, some handed to the contact centre; nothing dated in the future."""

from __future__ import annotations

import random
from typing import Any

from django.utils import timezone

from pulso.demo import inbox, org
from pulso.feedback.models import Feedback
from pulso.inbox.models import Article, Conversation, Message


def _progress(label: str, total: int) -> Any:
    return lambda n: None


def test_demo_inbox(db: None) -> None:
    org.build(random.Random(1), _progress)
    inbox.build(random.Random(2), _progress)
    assert Article.objects.filter(language="es").count() == len(inbox.ARTICLES_ES)
    conversations = Conversation.objects.all()
    assert conversations.count() == len(inbox.CHATS)
    answered = Message.objects.filter(
        sender=Message.Sender.ASSISTANT, article_version__isnull=False
    )
    assert answered.count() >= 6  # the assistant answers most questions from an article
    reasons = set(conversations.values_list("handoff_reason", flat=True))
    assert {"asked", "negative", "unsure"} <= reasons
    assert conversations.filter(status=Conversation.Status.WAITING).exists()
    assert Message.objects.filter(sender=Message.Sender.AGENT).exists()
    now = timezone.now()
    assert not Message.objects.filter(created_at__gt=now).exists()
    assert not Feedback.objects.filter(received_at__gt=now).exists()
    assert not conversations.filter(last_message_at__gt=now).exists()
    assert Feedback.objects.filter(source="chat").count() == sum(len(c) for c in inbox.CHATS)
