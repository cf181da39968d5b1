"""Customers: one record per person, so their history can be seen in one place."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Customer(models.Model):
    class Language(models.TextChoices):
        ES = "es", _("Spanish")
        EN = "en", _("English")

    external_id = models.CharField(_("external id"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True, db_index=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.ES
    )
    segment = models.CharField(_("segment"), max_length=60, blank=True, db_index=True)
    value = models.DecimalField(
        _("customer value (€/year)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    consent_to_contact = models.BooleanField(_("consents to be contacted"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["name", "external_id"]

    def __str__(self) -> str:
        return self.name or self.external_id
