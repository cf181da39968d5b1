"""The shared inbox: conversations with customers, their messages, and the knowledge base the
virtual assistant answers from.

Every customer message is also one :class:`~pulso.feedback.models.Feedback` record (source
``chat`` or ``email``), so text analysis, rules and cases apply to it; the message keeps the
link one-to-one beside it.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pulso.accounts.models import OrgUnit
from pulso.core.access import RestrictedQuerySet
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
    created_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["conversation", "id"]

    def __str__(self) -> str:
        return f"{self.get_sender_display()}: {self.text[:60]}"
