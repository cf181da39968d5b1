"""Stored results of text analytics: per-comment analysis, the topic taxonomy, models, themes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from pulso.feedback.models import FeedbackItem
from pulso.surveys.models import Response


class Sentiment(models.TextChoices):
    NEGATIVE = "negative", _("Negative")
    NEUTRAL = "neutral", _("Neutral")
    POSITIVE = "positive", _("Positive")


class Topic(models.Model):
    """A node of the two-level CX topic taxonomy, matched by rules per language."""

    class Origin(models.TextChoices):
        DEFAULT = "default", _("Shipped with Pulso")
        ANALYST = "analyst", _("Written by an analyst")
        LEARNED = "learned", _("Learned from examples")
        THEME = "theme", _("Promoted emerging theme")

    slug = models.SlugField(_("key"), max_length=80, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent topic"),
        null=True,
        blank=True,
        related_name="children",
        on_delete=models.CASCADE,
    )
    name_es = models.CharField(_("name (Spanish)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    rule_es = models.TextField(_("rule (Spanish)"), blank=True)
    rule_en = models.TextField(_("rule (English)"), blank=True)
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices, default="default")
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["parent__name_es", "name_es"]

    def __str__(self) -> str:
        return self.name_es


class TextAnalysis(models.Model):
    """The analysis of one comment: a survey response's comment or a feedback item's text."""

    response = models.OneToOneField(
        Response, null=True, blank=True, related_name="analysis", on_delete=models.CASCADE
    )
    feedback_item = models.OneToOneField(
        FeedbackItem, null=True, blank=True, related_name="analysis", on_delete=models.CASCADE
    )
    analysed = models.BooleanField(_("analysed"), default=True)
    reason = models.CharField(_("reason not analysed"), max_length=120, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True, db_index=True)
    sentiment = models.CharField(
        _("sentiment"), max_length=10, choices=Sentiment.choices, blank=True, db_index=True
    )
    sentiment_score = models.FloatField(_("sentiment score"), null=True, blank=True)
    key_phrases = models.JSONField(_("key phrases"), default=list, blank=True)
    analyser = models.CharField(_("analyser"), max_length=60, blank=True)
    analysed_at = models.DateTimeField(_("analysed at"), auto_now=True)
    topics = models.ManyToManyField(Topic, through="TopicMention", related_name="analyses")

    class Meta:
        verbose_name = _("text analysis")
        verbose_name_plural = _("text analyses")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(response__isnull=False) ^ models.Q(feedback_item__isnull=False),
                name="analysis_of_exactly_one_item",
            )
        ]

    def __str__(self) -> str:
        return f"{self.language} {self.sentiment}"


class TopicMention(models.Model):
    analysis = models.ForeignKey(TextAnalysis, related_name="mentions", on_delete=models.CASCADE)
    topic = models.ForeignKey(Topic, related_name="mentions", on_delete=models.CASCADE)
    sentiment = models.CharField(_("sentiment"), max_length=10, choices=Sentiment.choices)

    class Meta:
        verbose_name = _("topic mention")
        verbose_name_plural = _("topic mentions")
        constraints = [
            models.UniqueConstraint(fields=["analysis", "topic"], name="unique_topic_mention")
        ]

    def __str__(self) -> str:
        return f"{self.topic} ({self.sentiment})"
