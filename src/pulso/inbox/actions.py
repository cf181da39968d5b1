"""State changes of the inbox: conversations started, messages received and answered, handoffs
to people, handovers between teams, assignment, SLA escalation, closing and the customer's
satisfaction, canned answers and articles. Each runs in one transaction and leaves an audit
event where a person acted."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from pulso.accounts.models import Membership, OrgUnit
from pulso.core.access import AnyUser, roles_with, signed_in
from pulso.core.audit import record_event
from pulso.feedback.events import publish_recorded
from pulso.feedback.models import Feedback
from pulso.inbox import assistant, channels, notices, sla
from pulso.inbox.models import (
    Article,
    ArticleVersion,
    CannedAnswer,
    Conversation,
    ConversationEvent,
    ExternalChannel,
    Message,
)

Handoff = Conversation.Handoff
Status = Conversation.Status

_FEEDBACK_SOURCE = {
    Conversation.Channel.CHAT: Feedback.Source.CHAT,
    Conversation.Channel.EMAIL: Feedback.Source.EMAIL,
    Conversation.Channel.MESSAGING: Feedback.Source.CHAT,
}


def do_start_conversation(
    channel: str,
    *,
    language: str = "es",
    name: str = "",
    email: str = "",
    subject: str = "",
    org_unit: OrgUnit | None = None,
    external_channel: ExternalChannel | None = None,
    external_id: str = "",
) -> Conversation:
    """A new conversation. The assistant answers the chat; mail and messaging channels wait
    for a person (the assistant's answers would not reach them), so their SLA starts now."""
    conversation = Conversation(
        channel=channel,
        status=Status.ASSISTANT if channel == Conversation.Channel.CHAT else Status.WAITING,
        language=language if language in ("es", "en") else "es",
        name=name[:200],
        email=email,
        subject=subject[:200],
        org_unit=org_unit,
        external_channel=external_channel,
        external_id=external_id[:150],
    )
    if conversation.status == Status.WAITING:
        _start_sla(conversation, conversation.created_at)
    conversation.save()
    return conversation


SLA_FIELDS = [
    "first_response_due", "resolution_due", "first_responded_at", "escalation_level",
    "escalated_at",
]  # fmt: skip


def _start_sla(conversation: Conversation, start: datetime) -> list[str]:
    """Deadlines from ``start`` (a new wait for a person); returns the fields it set."""
    conversation.first_response_due, conversation.resolution_due = sla.deadlines(start)
    conversation.first_responded_at = None
    conversation.escalation_level, conversation.escalated_at = 0, None
    return SLA_FIELDS


def _record_as_feedback(conversation: Conversation, text: str, **fields: Any) -> Feedback:
    channel = conversation.external_channel
    return Feedback.objects.create(
        source=_FEEDBACK_SOURCE[Conversation.Channel(conversation.channel)],
        source_name=channel.name if channel else "",
        channel="chat" if channel else conversation.channel,
        text=text,
        author=conversation.name or conversation.email or conversation.external_id,
        org_unit=conversation.org_unit,
        language=conversation.language,
        **fields,
    )


def _add(conversation: Conversation, sender: str, text: str, **fields: object) -> Message:
    message = Message.objects.create(conversation=conversation, sender=sender, text=text, **fields)
    conversation.last_message_at = message.created_at
    conversation.save(update_fields=["last_message_at", "status"])
    return message


@transaction.atomic
def do_receive_message(
    conversation: Conversation, text: str, *, external_id: str = ""
) -> list[Message]:
    """Store a customer's message (also as a feedback record) and, while the assistant holds
    the conversation, its answer or handoff. Returns the messages added."""
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    if conversation.status == Status.CLOSED:
        conversation.status = Status.WAITING  # a customer writing again reopens it
        conversation.closed_at = None
        fields = _start_sla(conversation, timezone.now())
        conversation.save(update_fields=["status", "closed_at", *fields])
    feedback = _record_as_feedback(conversation, text)
    added = [
        _add(
            conversation,
            Message.Sender.CUSTOMER,
            text,
            feedback=feedback,
            external_id=external_id[:150],
        )
    ]
    publish_recorded([feedback.pk])
    if conversation.status == Status.ASSISTANT:
        added.append(_answer(conversation, text))
    return added


def _answer(conversation: Conversation, text: str) -> Message:
    reply = assistant.respond(text, conversation.language)
    if reply.handoff:
        return _hand_off(conversation, reply.handoff, reply.confidence)
    return _add(
        conversation,
        Message.Sender.ASSISTANT,
        reply.text,
        article_version=reply.version,
        confidence=reply.confidence,
    )


def _hand_off(conversation: Conversation, reason: str, confidence: float | None) -> Message:
    conversation.status = Status.WAITING
    conversation.handoff_reason = reason
    conversation.handed_off_at = timezone.now()
    conversation.callback_promised = not assistant.office_is_open()
    fields = _start_sla(conversation, conversation.handed_off_at)
    conversation.save(
        update_fields=["status", "handoff_reason", "handed_off_at", "callback_promised", *fields]
    )
    with override(conversation.language):
        text = assistant.handoff_message(conversation.callback_promised)
    return _add(conversation, Message.Sender.ASSISTANT, text, confidence=confidence)


@transaction.atomic
def do_request_person(conversation: Conversation) -> Message | None:
    """The visitor pressed "talk to a person" (None when a person already has it)."""
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    if conversation.status != Status.ASSISTANT:
        return None
    return _hand_off(conversation, Handoff.ASKED, None)


@transaction.atomic
def do_reply(conversation: Conversation, agent: User, text: str) -> Message:
    """An agent answers: the conversation is theirs from then on unless someone else has it."""
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    fields = ["status", "last_message_at"]
    if conversation.status == Status.ASSISTANT:
        conversation.handoff_reason = Handoff.AGENT
        conversation.handed_off_at = timezone.now()
        fields += ["handoff_reason", "handed_off_at"]
        fields += _start_sla(conversation, conversation.handed_off_at)
    if conversation.assigned_to_id is None:
        conversation.assigned_to = agent
        fields.append("assigned_to")
    if conversation.first_responded_at is None:
        conversation.first_responded_at = timezone.now()
        fields.append("first_responded_at")
    conversation.status = Status.OPEN
    conversation.save(update_fields=list(dict.fromkeys(fields)))
    message = _add(conversation, Message.Sender.AGENT, text, author=agent)
    record_event("inbox.replied", conversation, agent, message=message.pk)
    _send_out(message)
    return message


def _send_out(message: Message) -> None:
    """Deliver a message of ours on the conversation's channel (the chat widget polls)."""
    conversation = message.conversation
    if conversation.channel == Conversation.Channel.EMAIL and conversation.email:
        from pulso.inbox import mail

        message.email_id = mail.new_email_id()
        message.save(update_fields=["email_id"])
        transaction.on_commit(lambda: mail.send_reply(message))
    elif conversation.channel == Conversation.Channel.MESSAGING:
        channels.queue_reply(message)


@transaction.atomic
def do_assign(
    conversation: Conversation,
    *,
    actor: AnyUser | None,
    unit: OrgUnit | None,
    person: User | None,
) -> Conversation:
    """Route the conversation to a team and/or a person, with its whole transcript."""
    conversation.org_unit = unit
    conversation.assigned_to = person
    conversation.save(update_fields=["org_unit", "assigned_to"])
    record_event(
        "inbox.assigned",
        conversation,
        actor,
        unit=unit.code if unit else None,
        person=person.username if person else None,
    )
    return conversation


@transaction.atomic
def do_close(conversation: Conversation, *, actor: AnyUser | None) -> Conversation:
    """Close the conversation and ask the customer how it went (1-5): the widget asks in the
    chat; email and messaging customers get a link to a small public page."""
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    if conversation.status == Status.CLOSED:
        return conversation
    conversation.status = Status.CLOSED
    conversation.closed_at = timezone.now()
    fields = ["status", "closed_at"]
    if conversation.csat_feedback_id is None:
        conversation.csat_asked_at = conversation.closed_at
        fields.append("csat_asked_at")
        _ask_satisfaction(conversation)
    conversation.save(update_fields=fields)
    record_event("inbox.closed", conversation, actor)
    return conversation


def rating_url(conversation: Conversation) -> str:
    path = reverse("chat:rate", args=[conversation.token])
    return settings.PULSO_BASE_URL.rstrip("/") + path


def _ask_satisfaction(conversation: Conversation) -> None:
    with override(conversation.language):
        question = _("How did we do? Rate this conversation from 1 to 5 with one click: %(url)s")
        question %= {"url": rating_url(conversation)}
        subject = _("How did we do? [#%(number)s]") % {"number": conversation.pk}
    if conversation.channel == Conversation.Channel.EMAIL:
        notices.queue(
            conversation.email,
            subject,
            question,
            dedupe_key=f"csat:{conversation.pk}:{conversation.closed_at:%Y%m%d%H%M%S}",
            conversation=conversation,
        )
    elif conversation.channel == Conversation.Channel.MESSAGING:
        _send_out(_add(conversation, Message.Sender.ASSISTANT, question))


class AlreadyRated(Exception):
    """The customer already rated this conversation."""


@transaction.atomic
def do_record_satisfaction(conversation: Conversation, score: int) -> Feedback:
    """The customer's 1-5 answer, stored once as a feedback record linked to the conversation.
    Raises ``AlreadyRated`` on a second answer and ``ValueError`` on a score out of 1-5."""
    if not 1 <= score <= 5:
        raise ValueError("score must be 1-5")
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    if conversation.csat_feedback_id is not None:
        raise AlreadyRated
    feedback = _record_as_feedback(conversation, "", csat=score, rating=score, rating_scale_max=5)
    conversation.csat_feedback = feedback
    conversation.save(update_fields=["csat_feedback"])
    publish_recorded([feedback.pk])
    return feedback


def _team_workers(unit: OrgUnit | None) -> list[Any]:
    """The people who answer conversations in the team (for the company: at the top)."""
    memberships = Membership.objects.filter(
        role__in=roles_with("inbox.work_conversation"), user__is_active=True
    )
    if unit is None:
        memberships = memberships.filter(unit__parent__isnull=True)
    else:
        memberships = memberships.filter(unit=unit)
    return list({m.user.pk: m.user for m in memberships.select_related("user")}.values())


@transaction.atomic
def do_hand_over(
    conversation: Conversation, *, actor: AnyUser | None, unit: OrgUnit | None, note: str
) -> ConversationEvent:
    """Move the conversation to another team with a note: the team gets the whole transcript,
    sees who handed it over and why, and is told by email."""
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    event = ConversationEvent.objects.create(
        conversation=conversation,
        kind=ConversationEvent.Kind.HANDOVER,
        actor=signed_in(actor),
        from_unit=conversation.org_unit,
        to_unit=unit,
        note=note,
    )
    conversation.org_unit, conversation.assigned_to = unit, None
    fields = ["org_unit", "assigned_to"]
    if conversation.status == Status.OPEN:
        conversation.status = Status.WAITING  # the new team has not answered yet
        fields.append("status")
    conversation.save(update_fields=fields)
    record_event("inbox.handed_over", conversation, actor, to=unit.code if unit else None)
    _notify_handover(conversation, event)
    return event


def _notify_handover(conversation: Conversation, event: ConversationEvent) -> None:
    who = (event.actor.get_full_name() or event.actor.get_username()) if event.actor else ""
    with override(settings.LANGUAGE_CODE):
        subject = _("Conversation #%(number)s handed over to your team") % {
            "number": conversation.pk
        }
        body = _("%(who)s handed over the conversation with %(customer)s:\n\n%(note)s\n\n%(url)s")
        body %= {"who": who or _("Pulso"), "customer": conversation, "note": event.note,
                 "url": notices.conversation_url(conversation)}  # fmt: skip
    notices.notify_users(
        _team_workers(event.to_unit), subject, body,
        dedupe_key=f"handover:{event.pk}", conversation=conversation,
    )  # fmt: skip


@transaction.atomic
def do_escalate(conversation: Conversation, managers: list[Any], now: datetime) -> Conversation:
    """A deadline passed: raise the escalation level and tell that level's managers."""
    conversation.escalation_level += 1
    conversation.escalated_at = now
    conversation.save(update_fields=["escalation_level", "escalated_at"])
    names = [m.get_username() for m in managers]
    ConversationEvent.objects.create(
        conversation=conversation, kind=ConversationEvent.Kind.ESCALATED,
        note=", ".join(names), created_at=now,
    )  # fmt: skip
    record_event("inbox.escalated", conversation, None, level=conversation.escalation_level,
                 to=names)  # fmt: skip
    with override(settings.LANGUAGE_CODE):
        subject = _("Overdue conversation #%(number)s escalated to you") % {
            "number": conversation.pk
        }
        body = _("The conversation with %(customer)s has missed its deadline.\n\n%(url)s") % {
            "customer": conversation, "url": notices.conversation_url(conversation)}  # fmt: skip
    key = f"inbox-escalation:{conversation.pk}:{conversation.escalation_level}:{now:%Y%m%d%H%M}"
    notices.notify_users(managers, subject, body, dedupe_key=key, conversation=conversation)
    return conversation


@transaction.atomic
def do_save_canned_answer(
    *, actor: AnyUser | None, answer: CannedAnswer | None = None, **fields: Any
) -> CannedAnswer:
    """Create or change a canned answer (title, text, language, org_unit)."""
    answer = answer or CannedAnswer()
    for name, value in fields.items():
        setattr(answer, name, value)
    answer.updated_at = timezone.now()
    answer.save()
    record_event("inbox.canned_saved", answer, actor)
    return answer


@transaction.atomic
def do_delete_canned_answer(answer: CannedAnswer, *, actor: AnyUser | None) -> None:
    record_event("inbox.canned_deleted", answer, actor, title=answer.title)
    answer.delete()


@transaction.atomic
def do_receive_from_channel(
    channel: ExternalChannel, *, sender: str, text: str, name: str = "", message_id: str = ""
) -> tuple[Conversation, bool]:
    """A customer's message from a messaging channel: into the sender's conversation on that
    channel (the open one, else the last, reopened), or a new one. A message id seen before
    is not stored again. Returns the conversation and whether the message was new."""
    if message_id:
        seen = Message.objects.filter(
            external_id=message_id[:150], conversation__external_channel=channel
        ).select_related("conversation").first()  # fmt: skip
        if seen:
            return seen.conversation, False
    conversation = (
        Conversation.objects.filter(external_channel=channel, external_id=sender[:150])
        .order_by("-last_message_at")
        .first()
    ) or do_start_conversation(
        Conversation.Channel.MESSAGING, language=channel.language, name=name,
        org_unit=channel.org_unit, external_channel=channel, external_id=sender,
    )  # fmt: skip
    do_receive_message(conversation, text, external_id=message_id)
    return conversation, True


@transaction.atomic
def do_save_article(
    *,
    slug: str,
    language: str,
    title: str,
    body: str,
    questions: str = "",
    is_published: bool = True,
    actor: AnyUser | None = None,
    article: Article | None = None,
) -> Article:
    """Create an article or give it a new version (only when its text changed): earlier
    versions stay, so what the assistant answered can always be read back."""
    if article is None:
        article = Article.objects.create(slug=slug, language=language, is_published=is_published)
    else:
        article.slug, article.language, article.is_published = slug, language, is_published
        article.save(update_fields=["slug", "language", "is_published"])
    current = article.current_version()
    text = (title, body, questions.strip())
    if current is None or (current.title, current.body, current.questions) != text:
        current = ArticleVersion.objects.create(
            article=article,
            number=(current.number + 1) if current else 1,
            title=title,
            body=body,
            questions=questions.strip(),
            created_by=signed_in(actor),
        )
        record_event("inbox.article_saved", article, actor, version=current.number)
    return article
