"""Customers: one record per person, so their history can be seen in one place."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pulso.core.access import RestrictedQuerySet


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
    # Set when the customer follows the unsubscribe link; kept apart from consent so that a
    # later import that says "consent: yes" cannot silently undo an explicit opt-out.
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["name", "external_id"]

    def __str__(self) -> str:
        return self.name or self.external_id

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("customers:detail", args=[self.pk])

    @property
    def is_unsubscribed(self) -> bool:
        return self.unsubscribed_at is not None

    def address_for(self, channel: str) -> str:
        """Where an invitation on ``channel`` ("email" or "sms") would go; "" if nowhere."""
        if channel == "email":
            return self.email
        if channel == "sms":
            return self.phone
        return ""


class CustomerImport(models.Model):
    """An uploaded customer file: kept until reviewed, then imported with a per-row report."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Waiting for review")
        DONE = "done", _("Imported")

    file_name = models.CharField(_("file"), max_length=255)
    content = models.BinaryField(_("content"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.UPLOADED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    finished_at = models.DateTimeField(_("imported"), null=True, blank=True)
    created_count = models.PositiveIntegerField(_("customers created"), default=0)
    updated_count = models.PositiveIntegerField(_("customers updated"), default=0)
    # [{"row": 7, "reason": "..."}], row numbers as a spreadsheet shows them (header = 1).
    errors = models.JSONField(_("rejected rows"), default=list, blank=True)

    class Meta:
        verbose_name = _("customer import")
        verbose_name_plural = _("customer imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name


class CustomerActionQuerySet(RestrictedQuerySet):
    """Actions are seen where their unit is; those without a unit are company-wide."""

    unit_lookup = "org_unit__path"


class CustomerAction(models.Model):
    """Something a customer did or was done to them (a purchase, a cancellation, a campaign
    contact): what ties experience scores to behaviour."""

    class Kind(models.TextChoices):
        PURCHASE = "purchase", _("Purchase")
        RENEWAL = "renewal", _("Renewal")
        CANCELLATION = "cancellation", _("Cancellation")
        COMPLAINT = "complaint", _("Complaint")
        CONTACT = "contact", _("Contact")
        RETURN = "return", _("Return")
        CAMPAIGN_CONTACTED = "campaign_contacted", _("Contacted by a campaign")

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), related_name="actions", on_delete=models.CASCADE
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # Sent by the client so that sending the same action twice stores it once.
    external_id = models.CharField(_("external id"), max_length=150, unique=True)
    occurred_at = models.DateTimeField(_("date"), db_index=True)
    amount = models.DecimalField(
        _("amount"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    product = models.CharField(_("product"), max_length=120, blank=True)
    channel = models.CharField(_("channel"), max_length=40, blank=True)
    campaign = models.CharField(_("campaign"), max_length=120, blank=True)
    org_unit = models.ForeignKey(
        "accounts.OrgUnit",
        verbose_name=_("org unit"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField(_("stored"), auto_now_add=True)

    objects = CustomerActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("customer action")
        verbose_name_plural = _("customer actions")
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["customer", "occurred_at"])]

    def __str__(self) -> str:
        if self.pk is None:
            return str(self._meta.verbose_name_plural)  # a batch, in the audit trail
        return f"{self.get_kind_display()} · {self.occurred_at:%Y-%m-%d}"

    @property
    def signed_amount(self) -> Decimal | None:
        """The amount as revenue: a return takes money back."""
        if self.amount is None:
            return None
        return -self.amount if self.kind == self.Kind.RETURN else self.amount
