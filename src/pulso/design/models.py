"""Customer archetypes found by clustering, kept and named by the CX team; the audit
standards that check a blueprint's standards."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pulso.audits.models import Standard
from pulso.feedback.models import Feedback
from pulso.journeys.models import Touchpoint


class Segmentation(models.Model):
    """One search for archetypes: over which customers and period, and how well they separate."""

    found_at = models.DateTimeField(_("found"), auto_now_add=True)
    found_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("found by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    since = models.DateField(_("feedback since"))
    until = models.DateField(_("feedback until"))
    customers = models.PositiveIntegerField(_("customers"))
    silhouette = models.FloatField(_("silhouette"))

    class Meta:
        verbose_name = _("archetype search")
        verbose_name_plural = _("archetype searches")
        ordering = ["-found_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.found_at:%Y-%m-%d %H:%M}"


class Archetype(models.Model):
    segmentation = models.ForeignKey(
        Segmentation,
        verbose_name=_("search"),
        related_name="archetypes",
        on_delete=models.CASCADE,
    )
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    size = models.PositiveIntegerField(_("customers"))
    # [{"kind": "segment"|"value"|"nps"|"csat"|"ces"|"activity"|"touchpoint", "key": …,
    #   "value": in this archetype, "overall": among all customers}], most distinctive first.
    profile = models.JSONField(_("profile"), default=list)
    # {"nps": -100…100, "nps_n": …, "csat": % satisfied, "csat_n": …, "ces": mean, "ces_n": …}
    scores = models.JSONField(_("scores"), default=dict)
    # {segment: share of the archetype's customers}, largest first ("" for no segment).
    segments = models.JSONField(_("segments"), default=dict)
    # [{"touchpoint": id, "share": share of the archetype's feedback}], most used first.
    journey = models.JSONField(_("typical journey"), default=list)
    quotes = models.ManyToManyField(
        Feedback, verbose_name=_("quotes"), related_name="+", blank=True
    )

    class Meta:
        verbose_name = _("archetype")
        verbose_name_plural = _("archetypes")
        ordering = ["segmentation", "position"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("design:archetype", args=[self.pk])

    @property
    def share(self) -> float:
        total = self.segmentation.customers
        return 100.0 * self.size / total if total else 0.0

    def main_segment(self) -> str | None:
        """The segment most of its customers belong to."""
        return max(self.segments, key=self.segments.get) if self.segments else None


class LinkedStandard(models.Model):
    """An audit standard that checks a touchpoint's blueprint standards (one of the standards
    of that touchpoint's checklists): the blueprint shows how often audits find it met."""

    touchpoint = models.ForeignKey(
        Touchpoint,
        verbose_name=_("touchpoint"),
        related_name="linked_audit_standards",
        on_delete=models.CASCADE,
    )
    standard = models.ForeignKey(
        Standard, verbose_name=_("audit standard"), related_name="+", on_delete=models.CASCADE
    )

    class Meta:
        verbose_name = _("audit standard of a blueprint")
        verbose_name_plural = _("audit standards of blueprints")
        ordering = ["touchpoint", "standard__position", "standard_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["touchpoint", "standard"], name="design_standard_linked_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.touchpoint} · {self.standard}"

    def clean(self) -> None:
        if self.standard.checklist.touchpoint_id != self.touchpoint_id:
            raise ValidationError(
                {"standard": _("Link a standard of a checklist of this touchpoint.")}
            )
