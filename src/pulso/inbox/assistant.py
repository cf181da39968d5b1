"""The virtual assistant: answers from the knowledge base, or hands off to a person when asked,
when the customer is upset, or when it is not sure enough of the answer."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from pulso.inbox import office_hours
from pulso.inbox.intents import DEFAULT_HANDOFF_THRESHOLD
from pulso.inbox.knowledge import knowledge_base
from pulso.inbox.models import ArticleVersion, Conversation
from pulso.inbox.signals import sounds_upset, wants_person

Handoff = Conversation.Handoff


@dataclass(frozen=True)
class Reply:
    text: str = ""
    version: ArticleVersion | None = None
    confidence: float | None = None
    handoff: str = ""  # a Conversation.Handoff reason, or "" when the assistant answers


def handoff_threshold() -> float:
    configured = getattr(settings, "PULSO_ASSISTANT_THRESHOLD", "")
    return float(configured) if configured else DEFAULT_HANDOFF_THRESHOLD


def office_is_open() -> bool:
    return office_hours.is_open()


def respond(text: str, language: str) -> Reply:
    """What the assistant does with a customer's message."""
    if wants_person(text):
        return Reply(handoff=Handoff.ASKED)
    if sounds_upset(text):
        return Reply(handoff=Handoff.NEGATIVE)
    answer = knowledge_base(language).answer(text)
    if answer is None or answer.confidence < handoff_threshold():
        return Reply(handoff=Handoff.UNSURE, confidence=answer.confidence if answer else None)
    return Reply(answer.version.body, answer.version, answer.confidence)


def handoff_message(callback: bool) -> str:
    """What the customer reads when a person takes over (in the active language)."""
    if callback:
        return _(
            "Our team is out of the office now. We have your message and will get back to you "
            "as soon as we open."
        )
    return _("I am passing you to a person from our team. They will answer you here shortly.")
