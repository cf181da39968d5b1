"""Organisation: org units as a tree, people attached to them with a role."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pulso.core.access import RestrictedQuerySet

if TYPE_CHECKING:
    from collections.abc import Iterable


class OrgUnitQuerySet(RestrictedQuerySet):
    unit_lookup = "path"


class OrgUnit(models.Model):
    """A node of the company tree: company → region → store / department / contact centre."""

    class Kind(models.TextChoices):
        COMPANY = "company", _("Company")
        REGION = "region", _("Region")
        STORE = "store", _("Store")
        DEPARTMENT = "department", _("Department")
        CONTACT_CENTRE = "contact_centre", _("Contact centre")
        ONLINE = "online", _("Online shop")
        TEAM = "team", _("Team")

    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(_("code"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        related_name="children",
        on_delete=models.PROTECT,
    )
    # Materialised path ("/1/4/17/") so that a subtree is one indexed prefix query.
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    city = models.CharField(_("city"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("org unit")
        verbose_name_plural = _("org units")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        super().save(*args, **kwargs)  # type: ignore[arg-type]
        expected = self.compute_path()
        if self.path != expected:
            self.path = expected
            super().save(update_fields=["path"])

    def compute_path(self) -> str:
        prefix = self.parent.path if self.parent_id and self.parent else "/"
        return f"{prefix}{self.pk}/"

    def ancestors(self) -> list[OrgUnit]:
        """Units above this one, root first."""
        ids = [int(part) for part in self.path.strip("/").split("/") if part][:-1]
        by_id = OrgUnit.objects.in_bulk(ids)
        return [by_id[i] for i in ids if i in by_id]

    def subtree(self) -> models.QuerySet[OrgUnit]:
        """This unit and every unit below it."""
        return OrgUnit.objects.filter(path__startswith=self.path)

    def is_within(self, other: OrgUnit) -> bool:
        return self.path.startswith(other.path)

    def managers(self) -> Iterable[Membership]:
        return self.memberships.filter(role=Role.UNIT_MANAGER).select_related("user")


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    CX_ANALYST = "cx_analyst", _("CX analyst")
    UNIT_MANAGER = "unit_manager", _("Unit manager")
    AGENT = "agent", _("Agent")
    VIEWER = "viewer", _("Viewer")


class Membership(models.Model):
    """A person attached to an org unit with a role; the unit's subtree is what they see."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        related_name="memberships",
        on_delete=models.CASCADE,
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("org unit"), related_name="memberships", on_delete=models.CASCADE
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    # Memberships from single sign-on are rewritten at every SSO login; manual ones never are.
    # db_default: rows written by code that predates the column (old data loads) stay valid.
    from_sso = models.BooleanField(
        _("from single sign-on"), default=False, db_default=False, editable=False
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], name="unique_membership_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.unit} ({self.get_role_display()})"


class ApiToken(models.Model):
    """A bearer token for the REST API; only its SHA-256 digest is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        related_name="api_tokens",
        on_delete=models.CASCADE,
    )
    name = models.CharField(_("name"), max_length=100)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("prefix"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    # A read-only token may only read (GET); writes with it are refused.
    read_only = models.BooleanField(_("read only"), default=False)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now: datetime) -> bool:
        """Not revoked, and not expired at ``now``."""
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class SsoRule(models.Model):
    """A mapping an admin edits: people whose identity-provider claim holds ``value`` get
    ``role`` on ``unit`` (rewritten at each single sign-on login)."""

    claim = models.CharField(
        _("claim"),
        max_length=100,
        default="groups",
        help_text=_("Name of the claim sent by the identity provider, e.g. groups or department."),
    )
    value = models.CharField(
        _("value"),
        max_length=200,
        help_text=_("The claim equals this value or, if a list, holds it."),
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("org unit"), related_name="sso_rules", on_delete=models.CASCADE
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)

    class Meta:
        verbose_name = _("single sign-on rule")
        verbose_name_plural = _("single sign-on rules")
        ordering = ["claim", "value", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "value", "unit"], name="unique_sso_rule")
        ]

    def __str__(self) -> str:
        return f"{self.claim}={self.value} → {self.unit} ({self.get_role_display()})"

    def matches(self, claims: dict[str, object]) -> bool:
        held = claims.get(self.claim)
        if isinstance(held, list | tuple):
            return self.value in [str(item) for item in held]
        return held is not None and str(held) == self.value


class SsoIdentity(models.Model):
    """The identity-provider subject (``sub``) a person logs in as."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        related_name="sso_identity",
        on_delete=models.CASCADE,
    )
    subject = models.CharField(
        pgettext_lazy("single sign-on", "subject"), max_length=255, unique=True
    )
    last_login_at = models.DateTimeField(_("last single sign-on"), auto_now=True)

    class Meta:
        verbose_name = _("single sign-on identity")
        verbose_name_plural = _("single sign-on identities")

    def __str__(self) -> str:
        return f"{self.user} ({self.subject})"
