"""The one feedback record: every piece of feedback, whatever its source, is one row here.

Survey responses, reviews, social posts, contact-centre notes, emails and chats are each one
:class:`Feedback` row holding what every consumer needs (unit, journey, stage, touchpoint,
channel, customer, language, text, normalised scores, when it happened and when it arrived).
Source-specific detail lives in the source's own table, linked one-to-one (a survey response's
version, answers and invitation in ``surveys.Response``). Text analysis, search documents,
cases and rule applications reference this record through one foreign key.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pulso.accounts.models import OrgUnit
from pulso.core.access import RestrictedQuerySet
from pulso.customers.models import Customer
from pulso.journeys.models import Channel, Journey, Stage, Touchpoint
from pulso.lib.scores import nps_group


class FeedbackQuerySet(RestrictedQuerySet):
    unit_lookup = "org_unit__path"

    def complete(self) -> FeedbackQuerySet:
        """What dashboards, analysis and the explorer count (not surveys left half way)."""
        return self.filter(is_complete=True)

    def unsolicited(self) -> FeedbackQuerySet:
        """Feedback that did not come from one of our surveys (reviews, posts, notes…)."""
        return self.exclude(source=Feedback.Source.SURVEY)

    def with_text(self) -> FeedbackQuerySet:
        return self.exclude(text="")


class Feedback(models.Model):
    """One piece of feedback, whatever its source."""

    class Source(models.TextChoices):
        SURVEY = "survey", _("Survey response")
        REVIEW = "review", _("Review")
        SOCIAL = "social", _("Social media post")
        CONTACT_CENTRE = "contact_centre", _("Contact-centre note")
        EMAIL = "email", _("Email")
        CHAT = "chat", _("Chat transcript")
        AUDIT = "audit", _("Audit or mystery-shopping visit")
        OTHER = "other", _("Other")

    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    source_name = models.CharField(
        _("source name"), max_length=100, blank=True, help_text=_("e.g. Google, Trustpilot, X")
    )
    # NULL (not "") means "no external id": the plain unique constraint below then allows any
    # number of items without one, and a plain (not partial) constraint is what the bulk upsert
    # (INSERT … ON CONFLICT (source, external_id)) needs on both SQLite and PostgreSQL.
    external_id = models.CharField(  # noqa: DJ001
        _("external id"), max_length=150, null=True, blank=True, default=None
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, blank=True)
    text = models.TextField(_("text"))
    rating = models.DecimalField(_("rating"), max_digits=4, decimal_places=1, null=True, blank=True)
    rating_scale_max = models.PositiveSmallIntegerField(_("rating scale maximum"), default=5)
    author = models.CharField(_("author"), max_length=200, blank=True)
    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        null=True,
        blank=True,
        related_name="feedback",
        on_delete=models.SET_NULL,
    )
    journey = models.ForeignKey(
        Journey,
        verbose_name=_("journey"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
        db_index=False,
    )
    stage = models.ForeignKey(
        Stage,
        verbose_name=_("stage"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
        db_index=False,
    )
    touchpoint = models.ForeignKey(
        Touchpoint,
        verbose_name=_("touchpoint"),
        null=True,
        blank=True,
        related_name="feedback",
        on_delete=models.PROTECT,
        db_index=False,
    )
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("org unit"),
        null=True,
        blank=True,
        related_name="feedback",
        on_delete=models.PROTECT,
        db_index=False,
    )
    language = models.CharField(_("language"), max_length=8, blank=True)
    # Normalised scores: NPS 0–10, CSAT 1–5, CES 1–7 (a survey's answers; a review's stars stay
    # in ``rating`` on their own scale).
    nps = models.PositiveSmallIntegerField(_("NPS score"), null=True, blank=True)
    csat = models.PositiveSmallIntegerField(_("CSAT score"), null=True, blank=True)
    ces = models.PositiveSmallIntegerField(_("CES score"), null=True, blank=True)
    # When the customer gave it, and when Pulso stored it.
    received_at = models.DateTimeField(_("date"), default=timezone.now, db_index=True)
    created_at = models.DateTimeField(_("stored"), default=timezone.now)
    # False while its source is still being filled in (a survey answered half way): such a
    # record is kept with its source but counted, analysed and listed only once complete.
    is_complete = models.BooleanField(_("complete"), default=True, db_default=True)
    # The file import that brought it in, so that the whole import can be undone.
    import_run = models.ForeignKey(
        "feedback.ImportRun",
        verbose_name=_("import"),
        null=True,
        blank=True,
        related_name="records",
        on_delete=models.SET_NULL,
    )

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-received_at"]
        # Dashboards, the explorer and the metrics rebuild read a period of one touchpoint,
        # journey or unit (these also serve their foreign keys: no single-column indexes); the
        # newest records of one kind (the overview's latest comments) walk the (source, date) one.
        indexes = [
            models.Index(fields=["source", "received_at"], name="feedback_source_date_idx"),
            models.Index(fields=["touchpoint", "received_at"], name="feedback_tp_date_idx"),
            models.Index(fields=["journey", "received_at"], name="feedback_journey_date_idx"),
            models.Index(fields=["org_unit", "received_at"], name="feedback_unit_date_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], name="unique_feedback_external_id_per_source"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()}: {self.text[:60]}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # An empty external id would collide with the next one of the same source.
        if self.external_id == "":
            self.external_id = None
        super().save(*args, **kwargs)

    @property
    def rating_ratio(self) -> float | None:
        """The rating as a share of its scale (0–1), to compare 5-star and 10-point sources."""
        if self.rating is None or not self.rating_scale_max:
            return None
        return float(self.rating) / self.rating_scale_max

    @property
    def nps_group(self) -> str | None:
        return nps_group(self.nps)

    @property
    def is_survey_response(self) -> bool:
        return self.source == self.Source.SURVEY


# The sources the feedback explorer lists and filters by: everything but survey responses.
LISTED_SOURCES = [
    (value, label) for value, label in Feedback.Source.choices if value != Feedback.Source.SURVEY
]
# Sources recorded only by their own app: survey responses (surveys), visits (audits).
RECORDED_BY_THEIR_APP = {Feedback.Source.SURVEY, Feedback.Source.AUDIT}
# The sources a client may send or import.
UNSOLICITED_SOURCES = [
    (value, label) for value, label in Feedback.Source.choices if value not in RECORDED_BY_THEIR_APP
]


class ImportRunQuerySet(RestrictedQuerySet):
    """An import run belongs to the person who ran it (no unit): theirs to see and undo."""

    unit_lookup = ()
    owner_lookup = "created_by"
    view_action = "feedback.import_feedback"


class ImportRun(models.Model):
    """One batch of feedback or survey history brought in: an API batch, a file, a CLI run.

    Keeps the counts and the rejected rows with their reasons, so that the report can be
    shown and downloaded later.
    """

    MAX_STORED_REJECTS = 10_000

    class Kind(models.TextChoices):
        API = "api", _("API batch")
        FILE = "file", _("Feedback file")
        CLI = "cli", _("Command line")
        QUALTRICS = "qualtrics", _("Qualtrics export")
        LIMESURVEY = "limesurvey", _("LimeSurvey export")
        SURVEYMONKEY = "surveymonkey", _("SurveyMonkey export")
        GOOGLEFORMS = "googleforms", _("Google Forms export")
        TYPEFORM = "typeform", _("Typeform export")
        MSFORMS = "msforms", _("Microsoft Forms export")
        GENERIC = "generic", _("Survey responses file")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    file_name = models.CharField(_("file"), max_length=200, blank=True)
    survey = models.ForeignKey(
        "surveys.Survey",
        verbose_name=_("survey"),
        null=True,
        blank=True,
        related_name="import_runs",
        on_delete=models.SET_NULL,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        related_name="import_runs",
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField(_("date"), auto_now_add=True)
    total = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(pgettext_lazy("records", "created"), default=0)
    updated = models.PositiveIntegerField(pgettext_lazy("records", "updated"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    # [{"index": row number or batch index, "errors": {field: reason}}, ...]
    rejects = models.JSONField(_("rejected rows"), default=list, blank=True)

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name}".strip()
