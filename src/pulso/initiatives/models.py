"""Improvement initiatives and the pilots that measure whether they work."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pulso.accounts.models import OrgUnit
from pulso.core.access import RestrictedQuerySet
from pulso.journeys.models import Touchpoint
from pulso.textanalytics.models import Topic


class InitiativeQuerySet(RestrictedQuerySet):
    unit_lookup = "org_unit__path"


class Initiative(models.Model):
    """A change the company makes to fix a problem customers report, run by one unit."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        PLANNED = "planned", _("Planned")
        PILOTING = "piloting", _("Piloting")
        ROLLING_OUT = "rolling_out", _("Rolling out")
        DONE = "done", pgettext_lazy("initiative", "Done")
        DROPPED = "dropped", _("Dropped")

    title = models.CharField(_("title"), max_length=200)
    problem = models.TextField(_("problem"), help_text=_("What customers suffer, in their words."))
    topics = models.ManyToManyField(
        Topic,
        verbose_name=_("topics and root causes"),
        blank=True,
        related_name="initiatives",
        help_text=_("Topics of comments and root causes of cases that describe the problem."),
    )
    touchpoints = models.ManyToManyField(
        Touchpoint, verbose_name=_("touchpoints"), blank=True, related_name="initiatives"
    )
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("org unit"),
        related_name="initiatives",
        on_delete=models.PROTECT,
        help_text=_("The unit that runs it; its pilots use units below it."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        related_name="initiatives",
        on_delete=models.SET_NULL,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    cost = models.DecimalField(
        _("cost (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    expected_impact = models.DecimalField(
        _("expected impact (points)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("Expected change of the score where it is rolled out."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class PilotQuerySet(RestrictedQuerySet):
    unit_lookup = "initiative__org_unit__path"
    view_action = "initiatives.view_initiative"


class Pilot(models.Model):
    """A trial of an initiative in some units, compared with control units before and after."""

    class Metric(models.TextChoices):
        NPS = "nps", _("NPS")
        CSAT = "csat", _("CSAT (satisfied share)")
        CES = "ces", _("CES (easy share)")

    initiative = models.ForeignKey(
        Initiative, verbose_name=_("initiative"), related_name="pilots", on_delete=models.CASCADE
    )
    name = models.CharField(_("name"), max_length=200)
    metric = models.CharField(_("metric"), max_length=8, choices=Metric.choices, default="nps")
    touchpoint = models.ForeignKey(
        Touchpoint,
        verbose_name=_("measured at touchpoint"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
        help_text=_("Only answers about this touchpoint; empty: every answer of the units."),
    )
    treated_units = models.ManyToManyField(
        OrgUnit, verbose_name=_("pilot units"), related_name="pilots_treated"
    )
    control_units = models.ManyToManyField(
        OrgUnit, verbose_name=_("control units"), related_name="pilots_control"
    )
    before_start = models.DateField(_("before: from"))
    before_end = models.DateField(_("before: to"))
    after_start = models.DateField(_("after: from"), help_text=_("The day the change started."))
    after_end = models.DateField(_("after: to"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = PilotQuerySet.as_manager()

    class Meta:
        verbose_name = _("pilot")
        verbose_name_plural = _("pilots")
        ordering = ["-after_start"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.before_start and self.before_end and self.before_start > self.before_end:
            raise ValidationError({"before_end": _("The before window ends before it starts.")})
        if self.after_start and self.after_end and self.after_start > self.after_end:
            raise ValidationError({"after_end": _("The after window ends before it starts.")})
        if self.before_end and self.after_start and self.before_end >= self.after_start:
            raise ValidationError(
                {"after_start": _("The after window must start after the before window ends.")}
            )

    def measured_until(self, today: date | None = None) -> date:
        """The last day with answers to count: the window's end, or today while it runs."""
        return min(self.after_end, today or timezone.localdate())
