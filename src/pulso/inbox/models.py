"""The shared inbox: conversations with customers, their messages, and the knowledge base the
virtual assistant answers from.

Every customer message is also one :class:`~pulso.feedback.models.Feedback` record (source
``chat`` or ``email``), so text analysis, rules and cases apply to it; the message keeps the
link one-to-one beside it.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pulso.accounts.models import OrgUnit
from pulso.core.access import RestrictedQuerySet
from pulso.core.models import OutboxEntry
from pulso.feedback.models import Feedback


def new_conversation_token() -> str:
    return secrets.token_urlsafe(32)


class ArticleQuerySet(RestrictedQuerySet):
    unit_lookup = ()
    view_action = "inbox.change_article"


class Article(models.Model):
    """One knowledge-base article or FAQ; its text lives in numbered versions."""

    class Language(models.TextChoices):
        ES = "es", _("Spanish")
        EN = "en", _("English")

    slug = models.SlugField(_("identifier"), max_length=80)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    is_published = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["language", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "language"], name="unique_article_language")
        ]

    def __str__(self) -> str:
        current = self.current_version()
        return current.title if current else self.slug

    def current_version(self) -> ArticleVersion | None:
        return self.versions.order_by("-number").first()


class ArticleVersion(models.Model):
    """What an article said from a moment on: title, answer and the questions it answers."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), related_name="versions", on_delete=models.CASCADE
    )
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("answer"))
    # Customers' ways of asking, one a line: what the intent classifier learns from.
    questions = models.TextField(_("example questions"), blank=True)
    created_at = models.DateTimeField(_("date"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )

    class Meta:
        verbose_name = _("article version")
        verbose_name_plural = _("article versions")
        ordering = ["article", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="unique_article_version")
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.number})"

    def question_list(self) -> list[str]:
        return [line.strip() for line in self.questions.splitlines() if line.strip()]


class ConversationQuerySet(RestrictedQuerySet):
    unit_lookup = "org_unit__path"
    owner_lookup = "assigned_to"

    def awaiting_person(self) -> ConversationQuerySet:
        return self.filter(status__in=[Conversation.Status.WAITING, Conversation.Status.OPEN])


class Conversation(models.Model):
    """One conversation with a customer on one channel, from the first message to its close."""

    class Channel(models.TextChoices):
        CHAT = "chat", _("Web chat")
        EMAIL = "email", _("Email")
        # WhatsApp, social messages…: an ExternalChannel's signed webhook.
        MESSAGING = "messaging", _("Messaging")

    class Status(models.TextChoices):
        ASSISTANT = "assistant", _("With the assistant")
        WAITING = "waiting", _("Waiting for a person")
        OPEN = "open", _("With a person")
        CLOSED = "closed", _("Closed")

    class Handoff(models.TextChoices):
        ASKED = "asked", _("The customer asked for a person")
        UNSURE = "unsure", _("The assistant was unsure")
        NEGATIVE = "negative", _("The customer was upset")
        AGENT = "agent", _("An agent took it over")

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ASSISTANT
    )
    # Held by the widget, never shown: proves a request comes from this conversation's visitor.
    token = models.CharField(max_length=64, unique=True, default=new_conversation_token)
    language = models.CharField(_("language"), max_length=2, default="es")
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    # The team (an org unit) the conversation is routed to; none: the whole company.
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("team"),
        null=True,
        blank=True,
        related_name="conversations",
        on_delete=models.PROTECT,
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        related_name="conversations",
        on_delete=models.SET_NULL,
    )
    handoff_reason = models.CharField(
        _("handoff reason"), max_length=10, choices=Handoff.choices, blank=True
    )
    handed_off_at = models.DateTimeField(_("handed off"), null=True, blank=True)
    # Set when the customer wrote outside office hours and was promised a callback.
    callback_promised = models.BooleanField(_("callback promised"), default=False)
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    last_message_at = models.DateTimeField(_("last message"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # SLA: set when the conversation starts waiting for a person; counted in office hours.
    first_response_due = models.DateTimeField(_("first answer due"), null=True, blank=True)
    resolution_due = models.DateTimeField(_("resolution due"), null=True, blank=True)
    first_responded_at = models.DateTimeField(_("first answered"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    # Messaging channels: which one, and the customer's handle on it (a phone number, a user id).
    external_channel = models.ForeignKey(
        "ExternalChannel",
        verbose_name=_("messaging channel"),
        null=True,
        blank=True,
        related_name="conversations",
        on_delete=models.PROTECT,
    )
    external_id = models.CharField(_("customer on the channel"), max_length=150, blank=True)
    csat_asked_at = models.DateTimeField(_("satisfaction asked"), null=True, blank=True)
    # The customer's 1-5 answer, a feedback record of the conversation's source.
    csat_feedback = models.OneToOneField(
        Feedback,
        verbose_name=_("satisfaction"),
        null=True,
        blank=True,
        related_name="inbox_csat",
        on_delete=models.SET_NULL,
    )

    objects = ConversationQuerySet.as_manager()

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-last_message_at"]
        indexes = [models.Index(fields=["status", "last_message_at"], name="inbox_status_idx")]

    def __str__(self) -> str:
        return self.name or self.email or _("Visitor %(id)s") % {"id": self.pk}

    @property
    def is_with_assistant(self) -> bool:
        return self.status == self.Status.ASSISTANT

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def handled_by_assistant_alone(self) -> bool:
        """No person was needed: the assistant's CSAT counts these."""
        return not self.handoff_reason

    def channel_label(self) -> str:
        if self.external_channel_id:
            return str(self.external_channel)
        return str(self.get_channel_display())

    def sla_state(self, now: datetime | None = None) -> str:
        """ "overdue" (a deadline passed), "due" (deadlines ahead) or "" (none running)."""
        if self.is_closed or self.resolution_due is None:
            return ""
        now = now or timezone.now()
        waiting_first = self.first_responded_at is None and self.first_response_due is not None
        if (waiting_first and self.first_response_due < now) or self.resolution_due < now:  # type: ignore[operator]
            return "overdue"
        return "due"

    def next_deadline(self) -> datetime | None:
        if self.first_responded_at is None and self.first_response_due is not None:
            return self.first_response_due
        return self.resolution_due

    def csat_score(self) -> int | None:
        return self.csat_feedback.csat if self.csat_feedback else None


class Message(models.Model):
    """One message of a conversation: from the customer, the assistant or an agent."""

    class Sender(models.TextChoices):
        CUSTOMER = "customer", _("Customer")
        ASSISTANT = "assistant", _("Assistant")
        AGENT = "agent", _("Agent")

    conversation = models.ForeignKey(
        Conversation,
        verbose_name=_("conversation"),
        related_name="messages",
        on_delete=models.CASCADE,
    )
    sender = models.CharField(
        pgettext_lazy("message sender", "from"), max_length=10, choices=Sender.choices
    )
    text = models.TextField(_("text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    # The assistant's answer: the article version it quoted and how sure it was.
    article_version = models.ForeignKey(
        ArticleVersion,
        verbose_name=_("article"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    confidence = models.FloatField(_("confidence"), null=True, blank=True)
    # A customer's message is a feedback record.
    feedback = models.OneToOneField(
        Feedback,
        verbose_name=_("feedback"),
        null=True,
        blank=True,
        related_name="inbox_message",
        on_delete=models.SET_NULL,
    )
    # The Message-ID of an email reply, which the customer's answer quotes in In-Reply-To.
    email_id = models.CharField(max_length=250, blank=True, db_index=True)
    # The id a messaging channel gave an incoming message: a webhook sent twice is stored once.
    external_id = models.CharField(max_length=150, blank=True, db_index=True)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["conversation", "id"]

    def __str__(self) -> str:
        return f"{self.get_sender_display()}: {self.text[:60]}"


class CannedAnswerQuerySet(RestrictedQuerySet):
    unit_lookup = "org_unit__path"
    view_action = "inbox.change_article"

    def for_conversation(self, conversation: Conversation) -> CannedAnswerQuerySet:
        """Answers an agent may use in this conversation: the company's and its team's (or a
        team above it), in the conversation's language."""
        units = (
            [conversation.org_unit, *conversation.org_unit.ancestors()]
            if (conversation.org_unit)
            else []
        )
        return self.filter(
            models.Q(org_unit__isnull=True) | models.Q(org_unit__in=[u.pk for u in units]),
            language=conversation.language,
        ).order_by("title")


class CannedAnswer(models.Model):
    """A reply template agents insert in a conversation; placeholders are filled in then."""

    title = models.CharField(_("title"), max_length=120)
    text = models.TextField(
        _("text"),
        help_text=_(
            "Placeholders: {nombre} / {name} (the customer), {numero} / {number} (the "
            "conversation), {agente} / {agent} (you)."
        ),
    )
    language = models.CharField(_("language"), max_length=2, choices=Article.Language.choices)
    # None: the whole company; else one team (and the teams below it).
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("team"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.CASCADE,
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    objects = CannedAnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("canned answer")
        verbose_name_plural = _("canned answers")
        ordering = ["language", "title"]

    def __str__(self) -> str:
        return self.title


class ConversationEvent(models.Model):
    """What happened to a conversation besides its messages: handovers between teams, SLA
    escalations. Never shown to the customer."""

    class Kind(models.TextChoices):
        HANDOVER = "handover", _("Handed over")
        ESCALATED = "escalated", _("Escalated")

    conversation = models.ForeignKey(
        Conversation, verbose_name=_("conversation"), related_name="events",
        on_delete=models.CASCADE,
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
        related_name="+", on_delete=models.SET_NULL,
    )  # fmt: skip
    from_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("from"), null=True, blank=True, related_name="+",
        on_delete=models.SET_NULL,
    )  # fmt: skip
    to_unit = models.ForeignKey(
        OrgUnit, verbose_name=pgettext_lazy("handed over to", "to"), null=True, blank=True,
        related_name="+", on_delete=models.SET_NULL,
    )  # fmt: skip
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("date"), default=timezone.now)

    class Meta:
        verbose_name = _("conversation event")
        verbose_name_plural = _("conversation events")
        ordering = ["conversation", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.conversation_id}"


class ExternalChannel(models.Model):
    """A messaging channel (WhatsApp, social messages…) that posts customers' messages to
    ``/api/inbox/webhook/<slug>`` signed with ``secret``; replies go out through ``adapter``."""

    slug = models.SlugField(_("identifier"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100)
    secret = models.CharField(
        _("secret"), max_length=200, help_text=_("Signs the messages both ways (HMAC-SHA256).")
    )
    outbound_url = models.URLField(_("replies URL"), blank=True)
    adapter = models.CharField(_("replies go out by"), max_length=40, default="signed_post")
    language = models.CharField(
        _("language"), max_length=2, choices=Article.Language.choices, default="es"
    )
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("team"), null=True, blank=True, related_name="+",
        on_delete=models.PROTECT,
    )  # fmt: skip
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("messaging channel")
        verbose_name_plural = _("messaging channels")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Notice(OutboxEntry):
    """An email of the inbox to a person (a handover, an escalation) or to a customer (the
    satisfaction question); retried through the outbox."""

    to_email = models.EmailField(pgettext_lazy("email recipient", "to"))
    subject = models.CharField(_("subject"), max_length=250)
    body = models.TextField(_("message"))
    # One logical message, one row: reprocessing never sends it twice.
    dedupe_key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    conversation = models.ForeignKey(
        Conversation, null=True, blank=True, related_name="notices", on_delete=models.CASCADE
    )

    class Meta:
        verbose_name = _("inbox email")
        verbose_name_plural = _("inbox emails")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.to_email}: {self.subject}"


class OutboundMessage(OutboxEntry):
    """An agent's reply on a messaging channel; the body is kept so retries send the same."""

    message = models.ForeignKey(Message, related_name="deliveries", on_delete=models.CASCADE)
    channel = models.ForeignKey(
        ExternalChannel, related_name="deliveries", on_delete=models.CASCADE
    )
    body = models.TextField(_("body"))
    last_status_code = models.PositiveSmallIntegerField(_("last HTTP status"), null=True)

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.channel}: {self.message_id}"
