"""Customers' praise that names an employee, kept for that employee and their managers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pulso.accounts.models import OrgUnit
from pulso.feedback.models import Feedback


class Recognition(models.Model):
    """A positive comment about the unit where ``employee`` works that names them."""

    feedback = models.ForeignKey(
        Feedback, verbose_name=_("feedback"), related_name="+", on_delete=models.CASCADE
    )
    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("employee"),
        related_name="recognitions",
        on_delete=models.CASCADE,
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("org unit"), related_name="+", on_delete=models.CASCADE
    )
    created_at = models.DateTimeField(_("recognised"), default=timezone.now)

    class Meta:
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["feedback", "employee"], name="recognitions_once_per_feedback"
            )
        ]

    def __str__(self) -> str:
        return f"{self.employee} · {self.feedback_id}"
