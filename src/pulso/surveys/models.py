"""Surveys attached to touchpoints, their versions and questions, invitations and responses.

Editing a live survey creates a new :class:`SurveyVersion`; answers always point at the
question of the version they were given to, so past answers are never corrupted.
Responses carry denormalised scores (NPS, CSAT, CES), comment, journey and org unit so that
dashboards aggregate one table.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pulso.accounts.models import OrgUnit
from pulso.core import fastinsert
from pulso.core.access import RestrictedQuerySet
from pulso.customers.models import Customer
from pulso.feedback.models import Feedback
from pulso.journeys.models import Journey, Touchpoint
from pulso.lib.scores import nps_group


def new_token() -> str:
    return secrets.token_urlsafe(16)


class Survey(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        LIVE = "live", _("Live")
        CLOSED = "closed", _("Closed")

    class Audience(models.TextChoices):
        CUSTOMER = "customer", _("Customers")
        EMPLOYEE = "employee", _("Employees")

    name = models.CharField(_("name"), max_length=200)
    touchpoint = models.ForeignKey(
        Touchpoint, verbose_name=_("touchpoint"), related_name="surveys", on_delete=models.PROTECT
    )
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("org unit"),
        null=True,
        blank=True,
        related_name="surveys",
        on_delete=models.PROTECT,
    )
    audience = models.CharField(
        _("audience"), max_length=10, choices=Audience.choices, default=Audience.CUSTOMER
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default="draft")
    public_token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    current_version = models.ForeignKey(
        "SurveyVersion",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
        editable=False,
    )
    contact_interval_days = models.PositiveIntegerField(
        _("minimum days between invitations to the same customer"), null=True, blank=True
    )
    anonymous = models.BooleanField(
        _("anonymous"),
        default=False,
        help_text=_("Completed responses keep no link to a customer, an invitation or its token."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SurveyVersion(models.Model):
    survey = models.ForeignKey(Survey, related_name="versions", on_delete=models.CASCADE)
    number = models.PositiveIntegerField(_("version"))
    title_es = models.CharField(_("title (Spanish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    intro_es = models.TextField(_("introduction (Spanish)"), blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    thanks_es = models.TextField(_("thank-you text (Spanish)"), blank=True)
    thanks_en = models.TextField(_("thank-you text (English)"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("survey version")
        verbose_name_plural = _("survey versions")
        ordering = ["survey", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "number"], name="unique_survey_version")
        ]

    def __str__(self) -> str:
        return f"{self.survey} v{self.number}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def question_list(self) -> list[Question]:
        """The questions in position order; cached per process once published.

        Published versions are frozen (answers point at their questions), so the public pages
        need not load them on every request. The key holds the publication time, so a reused
        id (SQLite after a rollback) never hits another version's entry; entries expire after
        QUESTION_CACHE_SECONDS in case an admin edited a published question anyway.
        """
        if self.published_at is None:
            return list(self.questions.all())
        key, now = (self.pk, self.published_at), time.monotonic()
        cached = _QUESTIONS.get(key)
        if cached is None or cached[0] < now:
            if len(_QUESTIONS) >= QUESTION_CACHE_SIZE:
                _QUESTIONS.clear()
            cached = (now + QUESTION_CACHE_SECONDS, tuple(self.questions.all()))
            _QUESTIONS[key] = cached
        return list(cached[1])


# Questions of published versions by (version id, published at): (expiry, questions).
_QUESTIONS: dict[tuple[int, object], tuple[float, tuple[Question, ...]]] = {}
QUESTION_CACHE_SIZE = 256
QUESTION_CACHE_SECONDS = 300.0
# The range of each scale kind when a question sets none.
DEFAULT_BOUNDS = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7), "rating": (1, 5)}


class Question(models.Model):
    class Kind(models.TextChoices):
        NPS = "nps", _("NPS (0–10)")
        CSAT = "csat", _("CSAT (1–5)")
        CES = "ces", _("CES (1–7)")
        RATING = "rating", _("Rating scale")
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        TEXT = "text", _("Open text")

    version = models.ForeignKey(SurveyVersion, related_name="questions", on_delete=models.CASCADE)
    # Stable across versions, so that "the NPS question" can be followed over time.
    key = models.SlugField(_("key"), max_length=50)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    text_es = models.CharField(_("text (Spanish)"), max_length=500)
    text_en = models.CharField(_("text (English)"), max_length=500, blank=True)
    required = models.BooleanField(_("required"), default=False)
    position = models.PositiveIntegerField(_("position"), default=0)
    scale_min = models.IntegerField(_("scale minimum"), null=True, blank=True)
    scale_max = models.IntegerField(_("scale maximum"), null=True, blank=True)
    # [{"value": "precio", "es": "Precio", "en": "Price"}, ...]
    choices = models.JSONField(_("choices"), default=list, blank=True)
    # {"question": "nps", "groups": ["detractor"]} or {"question": "q", "values": [...]}
    show_if = models.JSONField(_("show only if"), default=dict, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["version", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="unique_question_key")
        ]

    def __str__(self) -> str:
        return self.text_es

    def bounds(self) -> tuple[int, int] | None:
        """The numeric range accepted for this question, or None for non-numeric ones."""
        if self.kind not in DEFAULT_BOUNDS:
            return None
        low, high = DEFAULT_BOUNDS[self.kind]
        return (
            self.scale_min if self.scale_min is not None else low,
            self.scale_max if self.scale_max is not None else high,
        )

    def is_shown(self, values: Mapping[str, object]) -> bool:
        """Whether this question is shown, given the (cleaned) answers given so far.

        ``show_if`` names an earlier question and either NPS groups or choice values; a
        question whose condition refers to an unanswered question stays hidden.
        """
        condition = self.show_if or {}
        if not condition.get("question"):
            return True
        value = values.get(condition["question"])
        if value is None or value == "" or value == []:
            return False
        if "groups" in condition:
            score = value if isinstance(value, int) else None
            return nps_group(score) in condition["groups"]
        wanted = {str(v) for v in condition.get("values", [])}
        given = {str(v) for v in value} if isinstance(value, list) else {str(value)}
        return bool(wanted & given)

    def choice_label(self, value: str, language: str = "es") -> str:
        for choice in self.choices or []:
            if str(choice.get("value")) == value:
                return str(choice.get(language) or choice.get("es") or value)
        return value


class Channel(models.TextChoices):
    LINK = "link", _("Open link")
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    QR = "qr", _("QR code")
    API = "api", _("API")
    IMPORT = "import", pgettext_lazy("channel", "Import")
    KIOSK = "kiosk", _("Kiosk")


class Invitation(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", pgettext_lazy("invitation", "Sent")
        OPENED = "opened", pgettext_lazy("invitation", "Opened")
        ANSWERED = "answered", _("Answered")
        BOUNCED = "bounced", _("Bounced")
        FAILED = "failed", pgettext_lazy("invitation", "Failed")
        SUPPRESSED = "suppressed", _("Not sent (contact rules)")

    survey = models.ForeignKey(Survey, related_name="invitations", on_delete=models.PROTECT)
    customer = models.ForeignKey(Customer, related_name="invitations", on_delete=models.PROTECT)
    org_unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, related_name="invitations", on_delete=models.PROTECT
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    status_detail = models.CharField(_("detail"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["customer", "created_at"], name="invitation_contact_idx")]

    def __str__(self) -> str:
        return f"{self.survey} → {self.customer}"


class ResponseQuerySet(RestrictedQuerySet):
    unit_lookup = "org_unit__path"

    def complete(self) -> ResponseQuerySet:
        return self.filter(is_complete=True)

    def bulk_record(self, responses: Sequence[Response], batch_size: int = 2_000) -> list[Response]:
        """``bulk_create`` the responses together with their feedback records."""
        touchpoints = Touchpoint.objects.in_bulk({r.touchpoint_id for r in responses})
        for start in range(0, len(responses), batch_size):
            chunk = responses[start : start + batch_size]
            records = Feedback.objects.bulk_create(
                [Feedback(**r.record_values(touchpoints[r.touchpoint_id])) for r in chunk]
            )
            for response, record in zip(chunk, records, strict=True):
                response.feedback = record
        return self.bulk_create(responses, batch_size=batch_size)


# What a response's feedback record copies: record attribute → the response field it comes from.
RECORD_FIELDS = {
    "text": "comment",
    "nps": "nps",
    "csat": "csat",
    "ces": "ces",
    "customer_id": "customer",
    "org_unit_id": "org_unit",
    "touchpoint_id": "touchpoint",
    "journey_id": "journey",
    "stage_id": "touchpoint",
    "channel": "touchpoint",
    "language": "language",
    "received_at": "submitted_at",
    "is_complete": "is_complete",
}


class Response(models.Model):
    survey = models.ForeignKey(Survey, related_name="responses", on_delete=models.PROTECT)
    version = models.ForeignKey(SurveyVersion, related_name="responses", on_delete=models.PROTECT)
    # Touchpoint, journey and org unit are looked up through the (column, submitted_at) indexes
    # of Meta.indexes: single-column indexes would only add work to every insert.
    touchpoint = models.ForeignKey(
        Touchpoint, related_name="responses", on_delete=models.PROTECT, db_index=False
    )
    journey = models.ForeignKey(
        Journey, related_name="responses", on_delete=models.PROTECT, db_index=False
    )
    org_unit = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        related_name="responses",
        on_delete=models.PROTECT,
        db_index=False,
    )
    customer = models.ForeignKey(
        Customer, null=True, blank=True, related_name="responses", on_delete=models.SET_NULL
    )
    invitation = models.OneToOneField(
        Invitation, null=True, blank=True, related_name="response", on_delete=models.SET_NULL
    )
    # The feedback record this response is recorded as (its unit, scores and comment are
    # copied there when the response is stored or edited).
    feedback = models.OneToOneField(
        Feedback, related_name="response", on_delete=models.CASCADE, editable=False
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=5, default="es")
    segment = models.CharField(_("segment"), max_length=60, blank=True)
    is_complete = models.BooleanField(_("complete"), default=False)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    submitted_at = models.DateTimeField(_("date"), default=timezone.now, db_index=True)
    # Denormalised from the answers, for fast metrics.
    nps = models.PositiveSmallIntegerField(_("NPS score"), null=True, blank=True)
    csat = models.PositiveSmallIntegerField(_("CSAT score"), null=True, blank=True)
    ces = models.PositiveSmallIntegerField(_("CES score"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    external_id = models.CharField(_("external id"), max_length=100, blank=True, default="")

    objects = ResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["touchpoint", "submitted_at"], name="response_tp_date_idx"),
            models.Index(fields=["journey", "submitted_at"], name="response_journey_date_idx"),
            models.Index(fields=["org_unit", "submitted_at"], name="response_unit_date_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "external_id"],
                condition=~models.Q(external_id=""),
                name="unique_response_external_id_per_survey",
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey} · {self.submitted_at:%Y-%m-%d}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save, writing the feedback record first (created, or updated where it copies a
        changed field), so that the response and its record never disagree."""
        update_fields = kwargs.get("update_fields")
        if self.feedback_id is None:
            self.feedback = Feedback.objects.create(**self.record_values())
            if update_fields is not None:
                kwargs["update_fields"] = [*update_fields, "feedback"]
        else:
            changed = [
                name
                for name, source in RECORD_FIELDS.items()
                if update_fields is None or source in update_fields
            ]
            if changed:  # e.g. not when only the segment changed
                values = self.record_values()
                # A plain UPDATE: whoever changes a response announces it (recording
                # actions, the admin), not the record's save signals.
                Feedback.objects.filter(pk=self.feedback_id).update(
                    **{name: values[name] for name in changed}
                )
        super().save(*args, **kwargs)

    def insert_with_record(self) -> None:
        """INSERT this new response and its feedback record through statements built once
        per process (:mod:`pulso.core.fastinsert`; one statement for both on PostgreSQL): the
        public survey's hot path.

        Like :meth:`ResponseQuerySet.bulk_record`, no save signals are sent: a new survey
        record is announced by the action that records it (``publish_recorded``)."""
        fastinsert.insert_with_parent(Feedback(**self.record_values()), self, "feedback")

    @property
    def nps_group(self) -> str | None:
        """promoter (9–10), passive (7–8) or detractor (0–6)."""
        return nps_group(self.nps)

    def record_values(self, touchpoint: Touchpoint | None = None) -> dict[str, Any]:
        """The values of this response's feedback record (see ``RECORD_FIELDS``)."""
        touchpoint = touchpoint or self.touchpoint
        return {
            "source": Feedback.Source.SURVEY,
            "text": self.comment,
            "nps": self.nps,
            "csat": self.csat,
            "ces": self.ces,
            "customer_id": self.customer_id,
            "org_unit_id": self.org_unit_id,
            "touchpoint_id": self.touchpoint_id,
            "journey_id": self.journey_id,
            "stage_id": touchpoint.stage_id,
            "channel": touchpoint.channel,
            "language": self.language,
            "received_at": self.submitted_at,
            "is_complete": self.is_complete,
        }


class Answer(models.Model):
    # Looked up through the unique (response, question) index: no index of its own.
    response = models.ForeignKey(
        Response, related_name="answers", on_delete=models.CASCADE, db_index=False
    )
    question = models.ForeignKey(Question, related_name="answers", on_delete=models.PROTECT)
    number = models.IntegerField(_("number"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True)
    choices = models.JSONField(_("choices"), default=list, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="unique_answer")
        ]

    def __str__(self) -> str:
        return f"{self.question.key}: {self.number if self.number is not None else self.text}"


class Branding(models.Model):
    """How public survey pages and QR posters look: one row, edited in the admin.

    Without a row, the company name and colour come from settings.
    """

    company_name = models.CharField(_("company name"), max_length=200, blank=True)
    logo_url = models.CharField(
        _("logo URL"),
        max_length=500,
        blank=True,
        help_text=_("Absolute URL or path of the logo image shown on survey pages."),
    )
    color = models.CharField(
        _("brand colour"),
        max_length=7,
        blank=True,
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a hex colour such as #0f5c8c."))],
    )

    class Meta:
        verbose_name = _("branding")
        verbose_name_plural = _("branding")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> Branding:
        """The saved branding, or an unsaved one with the settings' defaults."""
        return cls.objects.order_by("pk").first() or cls()

    @property
    def name(self) -> str:
        return self.company_name or settings.PULSO_COMPANY_NAME

    @property
    def brand_color(self) -> str:
        return self.color or settings.PULSO_BRAND_COLOR


class ImportMapping(models.Model):
    """A column mapping used to import a survey tool's export, kept to be reused for the next
    file with the same columns (``columns_key``: a digest of its headers)."""

    survey = models.ForeignKey(Survey, related_name="import_mappings", on_delete=models.CASCADE)
    columns_key = models.CharField(_("columns"), max_length=64)
    tool = models.CharField(_("tool"), max_length=20)
    spec = models.JSONField(_("mapping"), default=dict)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("import mapping")
        verbose_name_plural = _("import mappings")
        constraints = [
            models.UniqueConstraint(fields=["survey", "columns_key"], name="unique_import_mapping")
        ]

    def __str__(self) -> str:
        return f"{self.survey} · {self.tool}"
