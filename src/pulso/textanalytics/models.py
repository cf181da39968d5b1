"""Stored results of text analytics: per-comment analysis, the topic taxonomy, models, themes."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pulso.core.access import RestrictedQuerySet
from pulso.feedback.models import Feedback
from pulso.textanalytics.rule_messages import rule_error


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

    def clean(self) -> None:
        """The taxonomy's invariants, whatever path writes a topic (pages, API, admin): two
        levels, no cycles, rules that parse."""
        errors: dict[str, str] = {}
        if message := self._parent_error():
            errors["parent"] = message
        for language in ("es", "en"):
            rule = getattr(self, f"rule_{language}")
            if rule.strip() and (message := rule_error(rule)):
                errors[f"rule_{language}"] = message
        if errors:
            raise ValidationError(errors)

    def _parent_error(self) -> str | None:
        if self.parent_id is None:
            return None
        if self.parent_id == self.pk:
            return str(_("A topic cannot be its own parent."))
        # read afresh: the parent row may have moved since this instance was loaded
        grandparent = Topic.objects.filter(pk=self.parent_id).values_list("parent_id", flat=True)
        if grandparent.first() is not None:
            return str(_("The parent must be a main topic: the taxonomy has two levels."))
        if self.pk and Topic.objects.filter(parent_id=self.pk).exists():
            return str(_("A topic with subtopics cannot be a subtopic itself."))
        return None

    def rules(self) -> dict[str, str]:
        """Non-empty rules by language, as the engine's taxonomy takes them."""
        rules = {"es": self.rule_es.strip(), "en": self.rule_en.strip()}
        return {language: rule for language, rule in rules.items() if rule}

    @property
    def label(self) -> str:
        return f"{self.parent.name_es} › {self.name_es}" if self.parent_id else self.name_es  # type: ignore[union-attr]


class TextAnalysisQuerySet(RestrictedQuerySet):
    """Analyses of the feedback the user may see."""

    unit_lookup = "feedback__org_unit__path"

    def of_responses(self) -> TextAnalysisQuerySet:
        return self.filter(feedback__source=Feedback.Source.SURVEY)


class TextAnalysis(models.Model):
    """The analysis of one comment: a survey response's comment or a feedback item's text."""

    feedback = models.OneToOneField(Feedback, related_name="analysis", on_delete=models.CASCADE)
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
    # When the customer wrote it (response submitted / feedback received): trends and themes
    # read one table instead of joining both sources.
    written_at = models.DateTimeField(_("written"), null=True, blank=True, db_index=True)
    topics = models.ManyToManyField(Topic, through="TopicMention", related_name="analyses")

    objects = TextAnalysisQuerySet.as_manager()

    class Meta:
        verbose_name = _("text analysis")
        verbose_name_plural = _("text analyses")
        indexes = [
            models.Index(fields=["sentiment", "written_at"], name="analysis_sentiment_date_idx"),
            models.Index(fields=["language", "analysed"], name="analysis_language_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.language} {self.sentiment}"

    @property
    def text(self) -> str:
        """The analysed comment, as stored on its feedback record."""
        return self.feedback.text


class TopicMention(models.Model):
    analysis = models.ForeignKey(TextAnalysis, related_name="mentions", on_delete=models.CASCADE)
    topic = models.ForeignKey(Topic, related_name="mentions", on_delete=models.CASCADE)
    sentiment = models.CharField(_("sentiment"), max_length=10, choices=Sentiment.choices)

    class Meta:
        verbose_name = _("topic mention")
        verbose_name_plural = _("topic mentions")
        indexes = [models.Index(fields=["topic", "sentiment"], name="mention_topic_sentiment_idx")]
        constraints = [
            models.UniqueConstraint(fields=["analysis", "topic"], name="unique_topic_mention")
        ]

    def __str__(self) -> str:
        return f"{self.topic} ({self.sentiment})"


class AspectSentiment(models.Model):
    """The sentiment of one aspect of a comment: a topic and the clause(s) that mention it.

    A comment can be positive about one aspect and negative about another ("el técnico fue
    amable pero la entrega llegó tarde"); topic scores, drivers and rules read these rows.
    """

    analysis = models.ForeignKey(TextAnalysis, related_name="aspects", on_delete=models.CASCADE)
    topic = models.ForeignKey(Topic, related_name="aspects", on_delete=models.CASCADE)
    text = models.CharField(_("clause"), max_length=1000)
    sentiment = models.CharField(_("sentiment"), max_length=10, choices=Sentiment.choices)
    score = models.FloatField(_("sentiment score"), null=True, blank=True)

    class Meta:
        verbose_name = _("aspect sentiment")
        verbose_name_plural = _("aspect sentiments")
        indexes = [models.Index(fields=["topic", "sentiment"], name="aspect_topic_sentiment_idx")]
        constraints = [
            models.UniqueConstraint(fields=["analysis", "topic"], name="unique_aspect_sentiment")
        ]

    def __str__(self) -> str:
        return f"{self.topic}: {self.sentiment}"


class TopicExample(models.Model):
    """A comment an analyst marked as an example of a topic (or as not about it)."""

    topic = models.ForeignKey(Topic, related_name="examples", on_delete=models.CASCADE)
    analysis = models.ForeignKey(TextAnalysis, related_name="examples", on_delete=models.CASCADE)
    is_example = models.BooleanField(_("is about the topic"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("marked"), auto_now_add=True)

    class Meta:
        verbose_name = _("topic example")
        verbose_name_plural = _("topic examples")
        constraints = [
            models.UniqueConstraint(fields=["topic", "analysis"], name="unique_topic_example")
        ]

    def __str__(self) -> str:
        return f"{self.topic}: {self.analysis_id}"


class SentimentModelVersion(models.Model):
    """A sentiment model trained on this deployment's rated comments in one language."""

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("sentiment model", "Active")
        RETIRED = "retired", _("Replaced by a better model")
        REJECTED = "rejected", _("Not better than the active model")
        FAILED = "failed", _("Training failed")

    language = models.CharField(_("language"), max_length=8)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    # Kept only for models that were active, so an older one can be brought back.
    model_bytes = models.BinaryField(_("model"), blank=True, default=b"")
    report = models.JSONField(_("held-out report"), default=dict, blank=True)
    accuracy = models.FloatField(_("held-out accuracy"), null=True, blank=True)
    macro_f1 = models.FloatField(_("held-out macro-F1"), null=True, blank=True)
    n_training = models.PositiveIntegerField(_("rated comments"), default=0)
    message = models.CharField(_("detail"), max_length=300, blank=True)
    trained_at = models.DateTimeField(_("trained"), auto_now_add=True)
    trained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("sentiment model version")
        verbose_name_plural = _("sentiment model versions")
        ordering = ["-trained_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["language"],
                condition=Q(status="active"),
                name="one_active_sentiment_model_per_language",
            )
        ]

    def __str__(self) -> str:
        return f"{self.language} #{self.pk} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class EmergingTheme(models.Model):
    """A cluster of recent negative comments no topic covers, or a topic growing unusually fast."""

    class Kind(models.TextChoices):
        UNCOVERED = "uncovered", _("Not covered by any topic")
        GROWING = "growing", _("Growing fast")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        PROMOTED = "promoted", _("Promoted to topic")
        DISMISSED = "dismissed", _("Dismissed")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default="new")
    language = models.CharField(_("language"), max_length=8, default="es")
    label = models.CharField(_("label"), max_length=200)
    words = models.JSONField(_("characteristic words"), default=list, blank=True)
    suggested_rule = models.TextField(_("suggested rule"), blank=True)
    size = models.PositiveIntegerField(_("comments"), default=0)
    recent_count = models.PositiveIntegerField(_("comments in the last weeks"), default=0)
    previous_count = models.PositiveIntegerField(_("comments in the weeks before"), default=0)
    growth = models.FloatField(_("growth"), null=True, blank=True)
    # [{"week": "2026-11-02", "count": 4}, ...] oldest first
    trend = models.JSONField(_("weekly counts"), default=list, blank=True)
    member_ids = models.JSONField(_("analyses"), default=list, blank=True)
    example_ids = models.JSONField(_("examples"), default=list, blank=True)
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        null=True,
        blank=True,
        related_name="themes",
        on_delete=models.SET_NULL,
    )
    found_at = models.DateTimeField(_("found"), auto_now_add=True)

    class Meta:
        verbose_name = _("emerging theme")
        verbose_name_plural = _("emerging themes")
        ordering = ["-found_at", "-size"]

    def __str__(self) -> str:
        return self.label


class TextJob(models.Model):
    """A long background run (bulk analysis, topic reprocessing, retraining) and its progress."""

    class Kind(models.TextChoices):
        ANALYSE = "analyse", _("Analyse comments")
        REPROCESS_TOPICS = "topics", _("Re-match topics")
        RETRAIN = "retrain", _("Retrain sentiment")
        RESCORE = "rescore", _("Re-score sentiment")
        THEMES = "themes", _("Find emerging themes")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default="queued")
    total = models.PositiveIntegerField(_("total"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    message = models.CharField(_("detail"), max_length=300, blank=True)
    params = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("text analytics job")
        verbose_name_plural = _("text analytics jobs")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if self.status == self.Status.DONE else 0
        return min(100, round(100 * self.done / self.total))

    @property
    def is_running(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.RUNNING}

    def advance(self, n: int, **extra: Any) -> None:
        """Count `n` more items done (one UPDATE; the UI polls this row)."""
        self.done += n
        fields = ["done", *extra]
        for name, value in extra.items():
            setattr(self, name, value)
        self.save(update_fields=fields)
