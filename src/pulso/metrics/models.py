"""Pre-computed aggregates of survey responses, their change log, targets and search documents.

``DailyAggregate`` and ``MonthlyAggregate`` hold counts (never ratios) per day or month and
per survey × touchpoint × org unit × response channel × customer segment, so that any cut can
be summed and any metric derived from the sums. They are rebuilt from responses by
:mod:`pulso.metrics.aggregates` for the days listed in ``AggregateChange``, which database
triggers fill on every insert, update and delete of a response — whatever the writer
(forms, API, ``bulk_create`` imports, raw SQL).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from pulso.accounts.models import OrgUnit
from pulso.core.access import RestrictedQuerySet
from pulso.feedback.models import Feedback
from pulso.journeys.models import Journey, Touchpoint
from pulso.surveys.models import Survey


class AggregateQuerySet(RestrictedQuerySet):
    unit_lookup = "org_unit__path"
    view_action = "metrics.view_counts"


class Counts(models.Model):
    """The additive counts every metric is derived from."""

    n = models.PositiveIntegerField(default=0)
    nps_n = models.PositiveIntegerField(default=0)
    promoters = models.PositiveIntegerField(default=0)
    detractors = models.PositiveIntegerField(default=0)
    csat_n = models.PositiveIntegerField(default=0)
    csat_sum = models.PositiveIntegerField(default=0)
    csat_top2 = models.PositiveIntegerField(default=0)
    ces_n = models.PositiveIntegerField(default=0)
    ces_sum = models.PositiveIntegerField(default=0)
    ces_easy = models.PositiveIntegerField(default=0)
    comments = models.PositiveIntegerField(default=0)
    # Comments with a text analysis, and those of them judged negative.
    analysed = models.PositiveIntegerField(default=0)
    negative = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class Cell(Counts):
    """One cell of the cube: the dimensions every dashboard can cut by."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    audience = models.CharField(max_length=10)
    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="+")
    touchpoint = models.ForeignKey(Touchpoint, on_delete=models.CASCADE, related_name="+")
    org_unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    objects = AggregateQuerySet.as_manager()

    class Meta:
        abstract = True


class DailyAggregate(Cell):
    day = models.DateField(_("day"))
    channel = models.CharField(max_length=10)
    segment = models.CharField(max_length=60, blank=True)

    class Meta:
        verbose_name = _("daily aggregate")
        verbose_name_plural = _("daily aggregates")
        indexes = [
            models.Index(fields=["day", "touchpoint"], name="metrics_daily_day_tp_idx"),
            models.Index(fields=["journey", "day"], name="metrics_daily_journey_idx"),
            models.Index(fields=["org_unit", "day"], name="metrics_daily_unit_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.day} · {self.touchpoint_id} · n={self.n}"


class MonthlyAggregate(Cell):
    """The daily cells summed per month (``month`` is the first day), for long ranges.

    Without the channel and segment dimensions: ten times fewer rows, so a year of the
    common cuts reads fast; cuts by channel or segment read the daily cells instead.
    """

    month = models.DateField(_("month"))

    class Meta:
        verbose_name = _("monthly aggregate")
        verbose_name_plural = _("monthly aggregates")
        indexes = [
            models.Index(fields=["month", "touchpoint"], name="metrics_month_tp_idx"),
            models.Index(fields=["journey", "month"], name="metrics_month_journey_idx"),
            models.Index(fields=["org_unit", "month"], name="metrics_month_unit_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} · {self.touchpoint_id} · n={self.n}"


class AggregateChange(models.Model):
    """A UTC day whose responses changed since the aggregates were built (filled by triggers)."""

    day = models.DateField(db_index=True)

    class Meta:
        verbose_name = _("pending aggregate change")
        verbose_name_plural = _("pending aggregate changes")

    def __str__(self) -> str:
        return str(self.day)


class Target(models.Model):
    """A target for one metric, company-wide or for a journey, touchpoint or org unit."""

    class Metric(models.TextChoices):
        NPS = "nps", _("NPS")
        ENPS = "enps", _("eNPS")
        CSAT = "csat", _("CSAT (% satisfied)")
        CES = "ces", _("CES (% easy)")
        RESPONSE_RATE = "response_rate", _("Response rate (%)")

    metric = models.CharField(_("metric"), max_length=20, choices=Metric.choices)
    journey = models.ForeignKey(
        Journey,
        verbose_name=_("journey"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    touchpoint = models.ForeignKey(
        Touchpoint,
        verbose_name=_("touchpoint"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("org unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    value = models.FloatField(_("target value"))

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["metric", "journey", "touchpoint", "org_unit"]

    def __str__(self) -> str:
        scope = self.touchpoint or self.journey or self.org_unit or _("company")
        return f"{self.get_metric_display()} · {scope}: {self.value:g}"

    def clean(self) -> None:
        # A database constraint cannot treat NULL scopes as equal on SQLite, so check here.
        same = Target.objects.filter(
            metric=self.metric,
            journey=self.journey_id,
            touchpoint=self.touchpoint_id,
            org_unit=self.org_unit_id,
        ).exclude(pk=self.pk)
        if same.exists():
            raise ValidationError(_("There is already a target for this metric and scope."))

    @property
    def specificity(self) -> int:
        """How narrow the scope is; the most specific target applies."""
        return (
            (4 if self.touchpoint_id else 0)
            + (2 if self.journey_id else 0)
            + (1 if self.org_unit_id else 0)
        )


class SearchDocument(models.Model):
    """Accent-folded, stemmed words of a piece of feedback's text, for search."""

    feedback = models.OneToOneField(
        Feedback, related_name="search_document", on_delete=models.CASCADE
    )
    text = models.TextField()

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self) -> str:
        return self.text[:60]
