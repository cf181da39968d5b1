"""Reports people ask for, and each report email kept in the outbox until it has been sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pulso.accounts.models import OrgUnit
from pulso.core.models import OutboxEntry


class ReportSubscription(models.Model):
    """One person's weekly report of one unit (and everything below it)."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Weekly")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_subscriptions"
    )
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="es"
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("report subscription")
        verbose_name_plural = _("report subscriptions")

    def __str__(self) -> str:
        return f"{self.user} · {self.unit} · {self.get_frequency_display()}"


class ReportEmail(OutboxEntry):
    """A rendered report (chart and PDF) waiting for the mail server; retried like any email."""

    subscription = models.ForeignKey(
        ReportSubscription, null=True, on_delete=models.SET_NULL, related_name="emails"
    )
    to_email = models.EmailField(pgettext_lazy("email recipient", "to"))
    subject = models.CharField(_("subject"), max_length=250)
    body = models.TextField(_("message"))
    html = models.TextField(blank=True)
    chart_png = models.BinaryField()
    pdf = models.BinaryField()
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    dedupe_key = models.CharField(max_length=200, unique=True)

    class Meta:
        verbose_name = _("report email")
        verbose_name_plural = _("report emails")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.to_email}: {self.subject}"
