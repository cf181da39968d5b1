"""The email channel: mail read from a mailbox over IMAP becomes conversations; agents'
replies leave by SMTP (Django's email backend).

A reply carries the conversation's number in its subject ("[#42]") and a Message-ID that
the customer's answer quotes in In-Reply-To, so that answer joins the same conversation.
Settings: ``PULSO_INBOX_IMAP_HOST`` (empty: no email channel), ``_PORT``, ``_USER``,
``_PASSWORD``, ``_SSL``, ``_MAILBOX``; the reply's sender is ``DEFAULT_FROM_EMAIL``.
"""

from __future__ import annotations

import email
import email.policy
import imaplib
import re
from email.message import EmailMessage
from email.utils import make_msgid, parseaddr

from django.conf import settings
from django.core.mail import EmailMessage as OutgoingEmail

from pulso.inbox import actions
from pulso.inbox.models import Conversation, Message

_NUMBER = re.compile(r"\[#(\d+)\]")
MAX_TEXT = 20_000


def _body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    text = str(part.get_content())
    if part.get_content_type() == "text/html":
        text = re.sub(r"<[^>]+>", " ", text)
    return text.strip()[:MAX_TEXT]


def _conversation_of(message: EmailMessage, sender: str) -> Conversation | None:
    """The email conversation this mail answers: by the reply it quotes, else its subject."""
    quoted = str(message.get("In-Reply-To", "")).strip()
    if quoted:
        found = Message.objects.filter(
            email_id=quoted, conversation__channel=Conversation.Channel.EMAIL
        ).first()
        if found:
            return found.conversation
    number = _NUMBER.search(str(message.get("Subject", "")))
    if number:
        return Conversation.objects.filter(
            pk=int(number.group(1)), channel=Conversation.Channel.EMAIL, email__iexact=sender
        ).first()
    return None


def receive(raw: bytes) -> Conversation | None:
    """Turn one raw mail into a customer message (of a new or an ongoing conversation)."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    name, sender = parseaddr(str(message.get("From", "")))
    text = _body(message)
    if not sender or not text:
        return None
    conversation = _conversation_of(message, sender) or actions.do_start_conversation(
        Conversation.Channel.EMAIL,
        name=name,
        email=sender,
        subject=str(message.get("Subject", ""))[:200],
    )
    actions.do_receive_message(conversation, text)
    return conversation


def fetch_new_mail() -> int:
    """Read the unseen mail of the configured mailbox, mark it seen; returns how many."""
    host = getattr(settings, "PULSO_INBOX_IMAP_HOST", "")
    if not host:
        return 0
    client_class = imaplib.IMAP4_SSL if settings.PULSO_INBOX_IMAP_SSL else imaplib.IMAP4
    with client_class(host, settings.PULSO_INBOX_IMAP_PORT) as client:
        client.login(settings.PULSO_INBOX_IMAP_USER, settings.PULSO_INBOX_IMAP_PASSWORD)
        client.select(settings.PULSO_INBOX_IMAP_MAILBOX)
        _status, found = client.uid("search", "UNSEEN")
        count = 0
        for uid in found[0].split():
            _status, data = client.uid("fetch", uid, "(RFC822)")
            raw = next((part[1] for part in data if isinstance(part, tuple)), None)
            if raw:
                receive(raw)
                count += 1
            client.uid("store", uid, "+FLAGS", "(\\Seen)")
        return count


def send_reply(message: Message) -> None:
    """Email an agent's reply to the customer of an email conversation."""
    conversation = message.conversation
    subject = conversation.subject or "Re:"
    if not subject.lower().startswith("re:"):
        subject = f"Re: {subject}"
    mail = OutgoingEmail(
        subject=f"{subject} [#{conversation.pk}]",
        body=message.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[conversation.email],
        headers={"Message-ID": message.email_id},
    )
    mail.send()


def new_email_id() -> str:
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "pulso.local"
    return make_msgid(domain=domain)
