"""Canned answers filled in for one conversation: placeholders in Spanish or English replaced
by the customer's name, the conversation's number and the agent's name."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import override

from pulso.inbox.models import CannedAnswer, Conversation

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def values(conversation: Conversation, agent: Any) -> dict[str, str]:
    """What each placeholder becomes (both languages' names)."""
    with override(conversation.language):
        customer = conversation.name or _("customer")
    agent_name = (agent.get_full_name() or agent.get_username()) if agent else ""
    number = str(conversation.pk)
    return {"nombre": customer, "name": customer, "numero": number, "number": number,
            "agente": agent_name, "agent": agent_name}  # fmt: skip


def fill(answer: CannedAnswer, conversation: Conversation, agent: Any) -> str:
    """The answer's text for this conversation; unknown placeholders stay as written."""
    known = values(conversation, agent)
    return _PLACEHOLDER.sub(lambda m: known.get(m.group(1).lower(), m.group(0)), answer.text)
