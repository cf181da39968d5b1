"""Customer journeys: Journey → Stage → Touchpoint."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pulso.accounts.models import OrgUnit


class Channel(models.TextChoices):
    STORE = "store", _("Store")
    WEB = "web", _("Website")
    APP = "app", _("Mobile app")
    CALL_CENTRE = "call_centre", _("Call centre")
    EMAIL = "email", _("Email")
    CHAT = "chat", _("Chat")
    SOCIAL = "social", _("Social media")
    SMS = "sms", _("SMS")
    HOME = "home", _("Home delivery / installation")
    POST = "post", _("Post")
    OTHER = "other", _("Other")


class InteractionType(models.TextChoices):
    """What the customer came to do at a touchpoint, whatever the channel: benchmarks compare
    the channels of one type (a complaint by phone, by chat, by email)."""

    PURCHASE = "purchase", pgettext_lazy("interaction type", "Purchase")
    ENQUIRY = "enquiry", pgettext_lazy("interaction type", "Enquiry or advice")
    DELIVERY = "delivery", pgettext_lazy("interaction type", "Delivery or installation")
    INCIDENT = "incident", pgettext_lazy("interaction type", "Complaint, fault or claim")
    REPAIR = "repair", pgettext_lazy("interaction type", "Repair")
    PAPERWORK = "paperwork", pgettext_lazy("interaction type", "Paperwork and billing")
    OTHER = "other", pgettext_lazy("interaction type", "Other")


class Journey(models.Model):
    name = models.CharField(_("name"), max_length=150, unique=True)
    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_archived = models.BooleanField(_("archived"), default=False)

    class Meta:
        verbose_name = _("journey")
        verbose_name_plural = _("journeys")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("journeys:map", args=[self.slug])

    def next_stage_position(self) -> int:
        last = self.stages.aggregate(m=models.Max("position"))["m"]
        return 0 if last is None else last + 1


class Stage(models.Model):
    journey = models.ForeignKey(
        Journey, verbose_name=_("journey"), related_name="stages", on_delete=models.CASCADE
    )
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_archived = models.BooleanField(_("archived"), default=False)

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["journey", "position", "id"]

    def __str__(self) -> str:
        return f"{self.journey} · {self.name}"

    def touchpoints_with_feedback(self) -> list[Touchpoint]:
        """Touchpoints of this stage that already hold feedback (and so must be kept)."""
        return [tp for tp in self.touchpoints.all() if tp.has_feedback()]

    def next_touchpoint_position(self) -> int:
        last = self.touchpoints.aggregate(m=models.Max("position"))["m"]
        return 0 if last is None else last + 1


class Touchpoint(models.Model):
    stage = models.ForeignKey(
        Stage, verbose_name=_("stage"), related_name="touchpoints", on_delete=models.CASCADE
    )
    name = models.CharField(_("name"), max_length=150)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    interaction_type = models.CharField(
        _("interaction type"),
        max_length=20,
        choices=InteractionType.choices,
        blank=True,
        default="",
        db_default="",
        help_text=_("What the customer comes to do here (a purchase, a complaint…)."),
    )
    owner_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("owner unit"),
        null=True,
        blank=True,
        related_name="owned_touchpoints",
        on_delete=models.SET_NULL,
    )
    is_moment_of_truth = models.BooleanField(_("moment of truth"), default=False)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_archived = models.BooleanField(_("archived"), default=False)
    # The service blueprint of the touchpoint: what the customer does, what staff do in front of
    # them and behind the scenes, what supports it, who answers for it and the standard to meet.
    customer_action = models.TextField(
        pgettext_lazy("service blueprint", "customer action"), blank=True, default="", db_default=""
    )
    frontstage = models.TextField(_("front-stage actions"), blank=True, default="", db_default="")
    backstage = models.TextField(_("back-stage actions"), blank=True, default="", db_default="")
    support_processes = models.TextField(
        _("support processes"), blank=True, default="", db_default=""
    )
    systems = models.TextField(_("systems"), blank=True, default="", db_default="")
    responsible = models.CharField(
        _("responsible role"), max_length=150, blank=True, default="", db_default=""
    )
    standards = models.TextField(_("standards"), blank=True, default="", db_default="")

    class Meta:
        verbose_name = _("touchpoint")
        verbose_name_plural = _("touchpoints")
        ordering = ["stage", "position", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def journey(self) -> Journey:
        return self.stage.journey

    @property
    def has_blueprint(self) -> bool:
        return any(getattr(self, name) for name in BLUEPRINT_FIELDS)

    def has_feedback(self) -> bool:
        """True when any surveys, responses or feedback items point at this touchpoint.

        Every model of another app that references a touchpoint counts, so new kinds of
        feedback are covered without changing this method.
        """
        for relation in self._meta.related_objects:
            if relation.related_model._meta.app_label == self._meta.app_label:
                continue
            accessor = relation.get_accessor_name()
            if accessor and getattr(self, accessor).exists():
                return True
        return False


# The blueprint's lanes, in the order a service blueprint draws them (top to bottom).
BLUEPRINT_FIELDS = [
    "customer_action",
    "frontstage",
    "backstage",
    "support_processes",
    "systems",
    "responsible",
    "standards",
]
