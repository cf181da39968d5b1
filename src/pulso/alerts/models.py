"""Alert subscriptions of people, and the alerts raised for them (kept as the in-app list)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pulso.accounts.models import OrgUnit
from pulso.feedback.models import Feedback

DEFAULT_WATCHED_WORDS = ("abogado", "denuncia", "OCU", "darme de baja")


class AlertKind(models.TextChoices):
    DROP = "drop", _("Significant NPS drop")
    WORD = "word", _("Watched word")
    SPIKE = "spike", _("Crisis: unusual volume of complaints or contacts")


class Delivery(models.TextChoices):
    NOW = "now", _("At once")
    DIGEST = "digest", _("In the daily digest")


class AlertSubscription(models.Model):
    """One person's wish to hear about one kind of alert in a unit and the units below it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_subscriptions"
    )
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=AlertKind.choices)
    words = models.TextField(
        _("watched words"),
        blank=True,
        help_text=_("Comma-separated; empty means abogado, denuncia, OCU, darme de baja."),
    )
    delivery = models.CharField(
        _("delivery"), max_length=10, choices=Delivery.choices, default=Delivery.NOW
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("alert subscription")
        verbose_name_plural = _("alert subscriptions")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "kind"], name="alerts_one_sub_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.unit} · {self.get_kind_display()}"

    def watched_words(self) -> list[str]:
        words = [w.strip() for w in self.words.split(",") if w.strip()]
        return words or list(DEFAULT_WATCHED_WORDS)

    def covers(self, unit: OrgUnit) -> bool:
        return unit.path.startswith(self.unit.path)

    def wants(self, alert: Alert) -> bool:
        """The alert is of this kind, in this unit's subtree and (for words) about its words."""
        if alert.kind != self.kind or not self.covers(alert.unit):
            return False
        if self.kind == AlertKind.WORD:
            return bool(set(alert.detail.get("words", [])) & set(self.watched_words()))
        return True


class Alert(models.Model):
    """Something a subscriber should look at; raised once (``dedupe_key``), listed in the app."""

    kind = models.CharField(_("kind"), max_length=10, choices=AlertKind.choices)
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    title = models.CharField(_("title"), max_length=250)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    feedback = models.ForeignKey(
        Feedback, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dedupe_key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(_("raised"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title
