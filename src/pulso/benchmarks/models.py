"""Sector reference values: published CX figures the company's own are set against."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pulso.core.access import RestrictedQuerySet
from pulso.journeys.models import Channel, InteractionType


class ReferenceQuerySet(RestrictedQuerySet):
    """Company-wide rows: every person with a role reads them (``COMPANY_WIDE_READS``)."""

    unit_lookup = ()
    view_action = "benchmarks.view_reference"


class ReferenceValue(models.Model):
    """One published figure of a sector (an NPS, a CSAT share…), with its source and date.

    ``base_n`` is the number of answers behind it when the source says; only then can the gap
    between the company and the reference be tested for significance.
    """

    class Metric(models.TextChoices):
        NPS = "nps", _("NPS")
        CSAT = "csat", _("CSAT (% satisfied)")
        CES = "ces", _("CES (% easy)")

    metric = models.CharField(_("metric"), max_length=10, choices=Metric.choices)
    sector = models.CharField(_("sector"), max_length=120)
    interaction_type = models.CharField(
        _("interaction type"), max_length=20, choices=InteractionType.choices, blank=True
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, blank=True)
    label = models.CharField(
        _("label"), max_length=150, blank=True, help_text=_("The touchpoint as the source names it")
    )
    value = models.FloatField(_("value"))
    base_n = models.PositiveIntegerField(_("base (n)"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200)
    published_on = models.DateField(_("date"))
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField(_("imported"), auto_now_add=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("reference value")
        verbose_name_plural = _("reference values")
        ordering = ["metric", "sector", "interaction_type", "channel", "label", "-published_on"]
        constraints = [
            # Importing the same file twice updates its rows instead of doubling them.
            models.UniqueConstraint(
                fields=[
                    "metric", "sector", "interaction_type", "channel", "label", "source",
                    "published_on",
                ],
                name="unique_reference_value",
            )
        ]  # fmt: skip

    def __str__(self) -> str:
        scope = " · ".join(
            part
            for part in (
                self.sector,
                self.get_interaction_type_display() if self.interaction_type else "",
                self.get_channel_display() if self.channel else "",
                self.label,
            )
            if part
        )
        return f"{self.get_metric_display()} {scope}: {self.value:g}"

    @property
    def scope_label(self) -> str:
        """What the reference covers beyond its sector, in words."""
        parts = [
            str(self.get_interaction_type_display()) if self.interaction_type else "",
            str(self.get_channel_display()) if self.channel else "",
            self.label,
        ]
        return " · ".join(p for p in parts if p)
