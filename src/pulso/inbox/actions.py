"""State changes of the inbox: conversations started, messages received and answered, handoffs
to people, assignment and closing. Each runs in one transaction and leaves an audit event where
a person acted."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import override

from pulso.accounts.models import OrgUnit
from pulso.core.access import AnyUser, signed_in
from pulso.core.audit import record_event
from pulso.feedback.events import publish_recorded
from pulso.feedback.models import Feedback
from pulso.inbox import assistant
from pulso.inbox.models import Article, ArticleVersion, Conversation, Message

Handoff = Conversation.Handoff
Status = Conversation.Status

_FEEDBACK_SOURCE = {
    Conversation.Channel.CHAT: Feedback.Source.CHAT,
    Conversation.Channel.EMAIL: Feedback.Source.EMAIL,
}


def do_start_conversation(
    channel: str,
    *,
    language: str = "es",
    name: str = "",
    email: str = "",
    subject: str = "",
    org_unit: OrgUnit | None = None,
) -> Conversation:
    # The assistant answers the chat; mail waits for a person (its answers would not be sent).
    status = Status.WAITING if channel == Conversation.Channel.EMAIL else Status.ASSISTANT
    return Conversation.objects.create(
        channel=channel,
        status=status,
        language=language if language in ("es", "en") else "es",
        name=name[:200],
        email=email,
        subject=subject[:200],
        org_unit=org_unit,
    )


def _record_as_feedback(conversation: Conversation, text: str) -> Feedback:
    return Feedback.objects.create(
        source=_FEEDBACK_SOURCE[Conversation.Channel(conversation.channel)],
        channel=conversation.channel,
        text=text,
        author=conversation.name or conversation.email,
        org_unit=conversation.org_unit,
        language=conversation.language,
    )


def _add(conversation: Conversation, sender: str, text: str, **fields: object) -> Message:
    message = Message.objects.create(conversation=conversation, sender=sender, text=text, **fields)
    conversation.last_message_at = message.created_at
    conversation.save(update_fields=["last_message_at", "status"])
    return message


@transaction.atomic
def do_receive_message(conversation: Conversation, text: str) -> list[Message]:
    """Store a customer's message (also as a feedback record) and, while the assistant holds
    the conversation, its answer or handoff. Returns the messages added."""
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    if conversation.status == Status.CLOSED:
        conversation.status = Status.WAITING  # a customer writing again reopens it
        conversation.closed_at = None
        conversation.save(update_fields=["status", "closed_at"])
    feedback = _record_as_feedback(conversation, text)
    added = [_add(conversation, Message.Sender.CUSTOMER, text, feedback=feedback)]
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
    conversation.save(
        update_fields=["status", "handoff_reason", "handed_off_at", "callback_promised"]
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
    if conversation.assigned_to_id is None:
        conversation.assigned_to = agent
        fields.append("assigned_to")
    conversation.status = Status.OPEN
    conversation.save(update_fields=fields)
    message = _add(conversation, Message.Sender.AGENT, text, author=agent)
    record_event("inbox.replied", conversation, agent, message=message.pk)
    if conversation.channel == Conversation.Channel.EMAIL and conversation.email:
        from pulso.inbox import mail

        message.email_id = mail.new_email_id()
        message.save(update_fields=["email_id"])
        transaction.on_commit(lambda: mail.send_reply(message))
    return message


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
    conversation.status = Status.CLOSED
    conversation.closed_at = timezone.now()
    conversation.save(update_fields=["status", "closed_at"])
    record_event("inbox.closed", conversation, actor)
    return conversation


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
