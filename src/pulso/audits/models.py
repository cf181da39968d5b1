"""The emitted experience: checklists of standards per touchpoint, and the visits (audits and
mystery shopping) that check them at a unit.

A recorded visit is also one :class:`~pulso.feedback.models.Feedback` record (source "audit")
holding its score on 0–100, so that search, text analysis and the rules see it; the answers
stay here, one per standard.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pulso.accounts.models import OrgUnit
from pulso.core.access import AnyUser, RestrictedQuerySet, can
from pulso.feedback.models import Feedback
from pulso.journeys.models import Touchpoint


class Checklist(models.Model):
    """The standards one touchpoint is audited against (company-wide, edited by analysts)."""

    name = models.CharField(_("name"), max_length=150)
    touchpoint = models.ForeignKey(
        Touchpoint,
        verbose_name=_("touchpoint"),
        related_name="audit_checklists",
        on_delete=models.PROTECT,
    )
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("checklist")
        verbose_name_plural = _("checklists")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Standard(models.Model):
    """One weighted item of a checklist; a failed critical standard opens a case."""

    class Kind(models.TextChoices):
        YES_NO = "yes_no", _("Yes / no")
        SCALE = "scale", _("Scale")
        PHOTO = "photo", _("Photo")
        COMMENT = "comment", _("Comment")

    checklist = models.ForeignKey(
        Checklist, verbose_name=_("checklist"), related_name="standards", on_delete=models.CASCADE
    )
    text = models.CharField(_("standard"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.YES_NO)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    is_critical = models.BooleanField(
        _("critical"), default=False, help_text=_("Failing it opens a case for the unit.")
    )
    scale_max = models.PositiveSmallIntegerField(
        _("scale maximum"),
        default=5,
        validators=[MinValueValidator(2), MaxValueValidator(10)],
        help_text=_("Scales run from 1 to this value."),
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("standard")
        verbose_name_plural = _("standards")
        ordering = ["checklist", "position", "id"]

    def __str__(self) -> str:
        return self.text


class VisitQuerySet(RestrictedQuerySet):
    """Visits of the user's units, plus any visit assigned to the user."""

    unit_lookup = "unit__path"
    owner_lookup = "auditor"

    def recorded(self) -> VisitQuerySet:
        return self.filter(status=Visit.Status.RECORDED)

    def planned(self) -> VisitQuerySet:
        return self.filter(status=Visit.Status.PLANNED)


def new_visit_token() -> str:
    return secrets.token_urlsafe(16)


class Visit(models.Model):
    """An audit or a mystery-shopping visit of a unit against a checklist, planned then
    recorded once (on a phone, often on a poor connection)."""

    class Kind(models.TextChoices):
        AUDIT = "audit", _("Audit")
        MYSTERY_SHOPPING = "mystery_shopping", _("Mystery shopping")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        RECORDED = "recorded", _("Recorded")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.AUDIT)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    checklist = models.ForeignKey(
        Checklist, verbose_name=_("checklist"), related_name="visits", on_delete=models.PROTECT
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), related_name="audit_visits", on_delete=models.PROTECT
    )
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auditor"),
        null=True,
        blank=True,
        related_name="audit_visits",
        on_delete=models.SET_NULL,
    )
    planned_for = models.DateField(_("planned for"))
    # The token the recording form sent: the same submission sent twice records once.
    submission_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    # What the auditor has typed so far, saved from the phone as they go.
    draft = models.JSONField(_("draft"), default=dict, blank=True)
    draft_saved_at = models.DateTimeField(_("draft saved"), null=True, blank=True)
    visited_at = models.DateTimeField(_("visited"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("recorded"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    score = models.DecimalField(_("score"), max_digits=4, decimal_places=1, null=True, blank=True)
    critical_failed = models.BooleanField(_("critical standard failed"), default=False)
    comment = models.TextField(_("general comment"), blank=True)
    feedback = models.OneToOneField(
        Feedback,
        verbose_name=_("feedback record"),
        null=True,
        blank=True,
        related_name="audit_visit",
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-planned_for", "-pk"]
        indexes = [models.Index(fields=["unit", "status"], name="audit_visit_unit_status_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.unit} · {self.planned_for:%d/%m/%Y}"

    @property
    def is_recorded(self) -> bool:
        return self.status == self.Status.RECORDED

    def may_be_recorded_by(self, user: AnyUser) -> bool:
        """The assigned auditor records it (or, unassigned, anyone who may record visits at
        the unit); those who plan visits there may record any of them."""
        if not can(user, "audits.record_visit", self):
            return False
        assigned = self.auditor_id is None or self.auditor_id == user.pk
        return assigned or can(user, "audits.plan_visit", self)


def photo_path(answer: VisitAnswer, file_name: str) -> str:
    """A fresh name under the visit's folder; the uploaded name is never used as a path."""
    suffix = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else "bin"
    return f"audits/visits/{answer.visit_id}/{secrets.token_hex(12)}.{suffix[:5]}"


class VisitAnswer(models.Model):
    """What the auditor found for one standard of the visit's checklist."""

    visit = models.ForeignKey(Visit, related_name="answers", on_delete=models.CASCADE)
    standard = models.ForeignKey(Standard, related_name="answers", on_delete=models.PROTECT)
    passed = models.BooleanField(_("met"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    photo = models.FileField(_("photo"), upload_to=photo_path, blank=True, max_length=200)
    comment = models.TextField(_("comment"), blank=True)
    # 0–100 for scored standards that were answered; None for comments and unanswered ones.
    score = models.DecimalField(_("score"), max_digits=4, decimal_places=1, null=True)
    failed = models.BooleanField(_("failed"), default=False)

    class Meta:
        verbose_name = _("visit answer")
        verbose_name_plural = _("visit answers")
        ordering = ["standard__position", "standard_id"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "standard"], name="one_answer_per_standard")
        ]

    def __str__(self) -> str:
        return f"{self.visit_id} · {self.standard}"

    @property
    def failed_critical(self) -> bool:
        return self.failed and self.standard.is_critical
