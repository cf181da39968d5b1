"""Anonymous employee pulse surveys: eNPS and engagement items, per unit.

No identity is stored. An invitation is a one-time token (kept as a hash) for one unit and
tenure band; answering consumes it, and the response keeps only the unit, the band and the
scores, with no link to the invitation, no timestamp, no IP address and no browser details.
Pulse answers are not feedback records: those are listed one by one, these may only be shown
as totals of groups large enough (:mod:`pulso.pulses.results`).
"""

from __future__ import annotations

import hashlib

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pulso.accounts.models import OrgUnit
from pulso.core.access import RestrictedQuerySet

DEFAULT_ITEMS = [
    "Sé lo que se espera de mí en el trabajo.",
    "Tengo los medios que necesito para atender bien a los clientes.",
    "Mi responsable se preocupa por mí como persona.",
    "Me siento orgulloso de trabajar aquí.",
]


class Tenure(models.TextChoices):
    NEW = "lt1", _("Less than a year")
    MID = "1to3", _("1 to 3 years")
    LONG = "gt3", _("More than 3 years")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class PulseQuerySet(RestrictedQuerySet):
    unit_lookup = "org_unit__path"
    view_action = "pulses.view_results"


class Pulse(models.Model):
    """One wave of the employee pulse for the people of a unit's subtree."""

    name = models.CharField(_("name"), max_length=200)
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("org unit"), related_name="pulses", on_delete=models.PROTECT
    )
    is_open = models.BooleanField(_("open for answers"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = PulseQuerySet.as_manager()

    class Meta:
        verbose_name = _("employee pulse")
        verbose_name_plural = _("employee pulses")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class PulseItem(models.Model):
    """An engagement statement answered from 1 (strongly disagree) to 5 (strongly agree)."""

    pulse = models.ForeignKey(Pulse, related_name="items", on_delete=models.CASCADE)
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("statement"), max_length=300)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class PulseInvitation(models.Model):
    """A one-time token to answer a pulse as someone of ``unit`` (no name, no address)."""

    pulse = models.ForeignKey(Pulse, related_name="invitations", on_delete=models.CASCADE)
    unit = models.ForeignKey(OrgUnit, related_name="+", on_delete=models.PROTECT)
    tenure = models.CharField(_("tenure"), max_length=8, choices=Tenure.choices, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    # Whether it was used, never when: a time would tie it to the response stored then.
    is_used = models.BooleanField(default=False)

    objects = PulseQuerySet.as_manager()

    class Meta:
        verbose_name = _("pulse invitation")
        verbose_name_plural = _("pulse invitations")

    def __str__(self) -> str:
        return f"{self.pulse} · {self.unit}"


class PulseResponse(models.Model):
    """One anonymous answer: the unit and tenure band it counts for, and the eNPS score."""

    pulse = models.ForeignKey(Pulse, related_name="responses", on_delete=models.CASCADE)
    unit = models.ForeignKey(OrgUnit, related_name="+", on_delete=models.PROTECT)
    tenure = models.CharField(_("tenure"), max_length=8, choices=Tenure.choices, blank=True)
    enps = models.PositiveSmallIntegerField(_("eNPS score"))

    class Meta:
        verbose_name = _("pulse response")
        verbose_name_plural = _("pulse responses")

    def __str__(self) -> str:
        return f"{self.pulse} · {self.unit}"


class PulseAnswer(models.Model):
    response = models.ForeignKey(PulseResponse, related_name="answers", on_delete=models.CASCADE)
    item = models.ForeignKey(PulseItem, related_name="answers", on_delete=models.CASCADE)
    score = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="pulses_one_answer_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.score}"
