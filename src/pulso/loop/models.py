"""The closed loop: rules that act on feedback, cases with SLAs, notifications and webhooks."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pulso.accounts.models import OrgUnit, Role
from pulso.core.access import RestrictedQuerySet
from pulso.core.models import OutboxEntry
from pulso.customers.models import Customer
from pulso.feedback.models import Feedback
from pulso.journeys.models import Touchpoint
from pulso.loop.conditions import validate_conditions
from pulso.loop.messages import validate_template
from pulso.textanalytics.models import Topic


def new_secret() -> str:
    return secrets.token_hex(32)


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


PRIORITY_RANK = {Priority.LOW: 0, Priority.NORMAL: 1, Priority.HIGH: 2, Priority.URGENT: 3}
# What raises a case above its rule's priority (pulso.loop.priority), in the order checked.
PRIORITY_REASONS = {
    "legal": _("legal threat"),
    "churn": _("customer leaving"),
    "repeat": _("repeat complaint"),
    "score": _("very low score"),
    "value": _("high-value customer"),
}


class Webhook(models.Model):
    """An outgoing HTTP endpoint that receives signed JSON events."""

    name = models.CharField(_("name"), max_length=120)
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=128, default=new_secret)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Rule(models.Model):
    """When feedback matches ``conditions`` (JSON, see :mod:`pulso.loop.conditions`), act."""

    class Action(models.TextChoices):
        OPEN_CASE = "open_case", _("Open a case")
        NOTIFY = "notify", _("Notify people")
        THANK_YOU = "thank_you", _("Send the customer a thank-you message")
        APOLOGY = "apology", _("Send the customer an apology")
        WEBHOOK = "webhook", _("Call a webhook")

    class CaseUnit(models.TextChoices):
        EXPERIENCE = (
            "experience_unit",
            _(
                "Where the customer had the experience (or the nearest unit above it with someone "
                "who handles cases)"
            ),
        )
        TOUCHPOINT_OWNER = "touchpoint_owner", _("Unit that owns the touchpoint")
        FEEDBACK_UNIT = "feedback_unit", _("Unit the feedback is about")
        FIXED = "fixed", _("A fixed unit")

    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveIntegerField(_("order"), default=0)
    conditions = models.JSONField(
        _("conditions"), default=dict, blank=True, validators=[validate_conditions]
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    case_priority = models.CharField(
        _("case priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    case_unit = models.CharField(
        _("case unit"), max_length=20, choices=CaseUnit.choices, default="experience_unit"
    )
    target_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
        help_text=_("For a fixed case unit, or the unit whose people are notified."),
    )
    notify_role = models.CharField(
        _("notify the role"),
        max_length=20,
        blank=True,
        help_text=_("Everyone with this role in the unit (the feedback's unit if none chosen)."),
    )
    notify_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("notify these people"),
        blank=True,
        related_name="+",
    )
    subject_es = models.CharField(_("subject (Spanish)"), max_length=200, blank=True)
    body_es = models.TextField(_("message (Spanish)"), blank=True)
    subject_en = models.CharField(_("subject (English)"), max_length=200, blank=True)
    body_en = models.TextField(_("message (English)"), blank=True)
    webhook = models.ForeignKey(
        Webhook,
        verbose_name=_("webhook"),
        null=True,
        blank=True,
        related_name="rules",
        on_delete=models.PROTECT,
    )
    is_default = models.BooleanField(_("shipped with Pulso"), default=False, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("rule")
        verbose_name_plural = _("rules")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        for name in ("subject_es", "body_es", "subject_en", "body_en"):
            try:
                validate_template(getattr(self, name))
            except ValidationError as exc:
                errors[name] = exc.messages
        if self.action in (self.Action.THANK_YOU, self.Action.APOLOGY) and not self.body_es:
            errors["body_es"] = _("A message to the customer needs at least the Spanish text.")
        if self.action == self.Action.WEBHOOK and not self.webhook_id:
            errors["webhook"] = _("Choose the webhook to call.")
        if self.case_unit == self.CaseUnit.FIXED and self.action == "open_case":
            if not self.target_unit_id:
                errors["target_unit"] = _("Choose the unit that receives the cases.")
        if self.notify_role and self.notify_role not in Role.values:
            errors["notify_role"] = _("Choose one of the roles.")
        if errors:
            raise ValidationError(errors)


class RuleApplication(models.Model):
    """A rule applied to one piece of feedback: the guard that makes reprocessing harmless."""

    rule = models.ForeignKey(Rule, related_name="applications", on_delete=models.CASCADE)
    feedback = models.ForeignKey(Feedback, related_name="+", on_delete=models.CASCADE)
    applied_at = models.DateTimeField(_("applied"), default=timezone.now)

    class Meta:
        verbose_name = _("rule application")
        verbose_name_plural = _("rule applications")
        constraints = [
            models.UniqueConstraint(fields=["rule", "feedback"], name="unique_rule_per_feedback")
        ]

    def __str__(self) -> str:
        return f"{self.rule} → {self.feedback_id}"


class SlaPolicy(models.Model):
    """Deadlines of a case per priority, and when to remind and escalate."""

    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, unique=True)
    first_contact_hours = models.PositiveIntegerField(_("first contact within (hours)"))
    resolution_hours = models.PositiveIntegerField(_("resolution within (hours)"))
    reminder_hours = models.PositiveIntegerField(
        _("remind this many hours before a deadline"), default=4
    )
    escalate_again_hours = models.PositiveIntegerField(
        _("escalate to the next level after (hours overdue)"), default=24
    )

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        ordering = ["first_contact_hours"]

    def __str__(self) -> str:
        return str(self.get_priority_display())


class CaseQuerySet(RestrictedQuerySet):
    """Cases of the user's units, plus any case the user owns."""

    unit_lookup = "unit__path"
    owner_lookup = "owner"

    def open(self) -> CaseQuerySet:
        return self.exclude(status__in=[Case.Status.RESOLVED, Case.Status.CLOSED])

    def overdue(self, now: datetime | None = None) -> CaseQuerySet:
        now = now or timezone.now()
        late_contact = Q(first_contacted_at__isnull=True, first_contact_due__lt=now)
        return self.open().filter(late_contact | Q(resolution_due__lt=now))

    def with_overdue_flag(self, now: datetime | None = None) -> CaseQuerySet:
        """Annotate ``overdue`` so that lists can put overdue cases first."""
        now = now or timezone.now()
        late = Q(first_contacted_at__isnull=True, first_contact_due__lt=now) | Q(
            resolution_due__lt=now
        )
        open_ = ~Q(status__in=[Case.Status.RESOLVED, Case.Status.CLOSED])
        flag = models.Case(models.When(open_ & late, then=True), default=False)
        next_due = models.Case(
            models.When(first_contacted_at__isnull=True, then=models.F("first_contact_due")),
            default=models.F("resolution_due"),
        )
        return self.annotate(
            overdue=models.ExpressionWrapper(flag, models.BooleanField()), next_due=next_due
        )


class Case(models.Model):
    """Follow-up of one piece of feedback by a person of a unit, with deadlines."""

    class Status(models.TextChoices):
        # A context keeps other apps' "Closed" (a survey: "Cerrada") from being used here.
        NEW = "new", pgettext_lazy("case status", "New")
        IN_PROGRESS = "in_progress", pgettext_lazy("case status", "In progress")
        CUSTOMER_CONTACTED = (
            "customer_contacted",
            pgettext_lazy("case status", "Customer contacted"),
        )
        RESOLVED = "resolved", pgettext_lazy("case status", "Resolved")
        CLOSED = "closed", pgettext_lazy("case status", "Closed")
        REOPENED = "reopened", pgettext_lazy("case status", "Reopened")

    TRANSITIONS: dict[str, tuple[str, ...]] = {
        "new": ("in_progress", "customer_contacted"),
        # A case being worked on can be closed in one step, with its resolution.
        "in_progress": ("customer_contacted", "resolved", "closed"),
        "customer_contacted": ("in_progress", "resolved", "closed"),
        "resolved": ("closed", "reopened"),
        "closed": ("reopened",),
        "reopened": ("in_progress", "customer_contacted", "resolved", "closed"),
    }

    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW, db_index=True
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), related_name="cases", on_delete=models.PROTECT
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        related_name="owned_cases",
        on_delete=models.SET_NULL,
    )
    feedback = models.ForeignKey(
        Feedback,
        verbose_name=_("feedback"),
        null=True,
        blank=True,
        related_name="cases",
        on_delete=models.PROTECT,
    )
    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        null=True,
        blank=True,
        related_name="cases",
        on_delete=models.SET_NULL,
    )
    touchpoint = models.ForeignKey(
        Touchpoint,
        verbose_name=_("touchpoint"),
        null=True,
        blank=True,
        related_name="cases",
        on_delete=models.PROTECT,
    )
    rule = models.ForeignKey(
        Rule, verbose_name=_("rule"), null=True, blank=True, on_delete=models.SET_NULL
    )
    root_cause = models.ForeignKey(
        Topic,
        verbose_name=_("root cause"),
        null=True,
        blank=True,
        related_name="cases",
        on_delete=models.SET_NULL,
    )
    resolution = models.TextField(_("resolution"), blank=True)
    first_contact_due = models.DateTimeField(_("first contact due"))
    resolution_due = models.DateTimeField(_("resolution due"), db_index=True)
    first_contacted_at = models.DateTimeField(_("customer first contacted"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    contact_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    resolution_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("opened"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["resolution_due"]
        indexes = [models.Index(fields=["unit", "status"], name="case_unit_status_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    def allowed_transitions(self) -> tuple[str, ...]:
        return self.TRANSITIONS.get(self.status, ())

    def check_transition(self, new_status: str, resolution: str = "") -> None:
        """Raise ValidationError unless the case may move to ``new_status``."""
        if new_status not in self.allowed_transitions():
            raise ValidationError(
                _("A case cannot go from “%(old)s” to “%(new)s”."),
                params={"old": self.get_status_display(), "new": new_status},
                code="invalid_transition",
            )
        if new_status == self.Status.RESOLVED and not (resolution or self.resolution).strip():
            raise ValidationError(
                _("Describe the resolution before resolving the case."), code="no_resolution"
            )
        closing_unresolved = (
            new_status == self.Status.CLOSED and self.status != self.Status.RESOLVED
        )
        if closing_unresolved and not (resolution or self.resolution).strip():
            raise ValidationError(
                _("Describe the resolution before closing the case."), code="no_resolution"
            )

    @property
    def is_open(self) -> bool:
        return self.status not in (self.Status.RESOLVED, self.Status.CLOSED)

    def is_overdue(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        if not self.is_open:
            return False
        late_contact = self.first_contacted_at is None and self.first_contact_due < now
        return late_contact or self.resolution_due < now

    @property
    def next_deadline_is_first_contact(self) -> bool:
        """Until the customer is contacted, the deadline that comes next is the first contact."""
        return self.first_contacted_at is None

    @property
    def next_deadline(self) -> datetime:
        """The deadline the case is overdue against: first contact, then resolution."""
        if self.first_contacted_at is None:
            return self.first_contact_due
        return self.resolution_due

    def first_contact_in_sla(self) -> bool | None:
        if self.first_contacted_at is None:
            return None
        return self.first_contacted_at <= self.first_contact_due

    def time_to_close(self) -> timedelta | None:
        return self.closed_at - self.created_at if self.closed_at else None

    @property
    def feedback_text(self) -> str:
        return self.feedback.text if self.feedback_id and self.feedback else ""


class CaseEvent(models.Model):
    """One line of a case's timeline; every change of a case writes one."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Opened")
        STATUS = "status", _("Status changed")
        ASSIGNED = "assigned", _("Assigned")
        PRIORITY = "priority", _("Priority changed")
        NOTE = "note", _("Note")
        ROOT_CAUSE = "root_cause", _("Root cause set")
        REMINDER = "reminder", _("Reminder sent")
        ESCALATED = "escalated", _("Escalated")
        RECOVERY = "recovery", _("Recovery survey")
        RULE = "rule", _("Rule matched")
        CONTACT = "contact", _("Message to the customer")

    case = models.ForeignKey(Case, related_name="events", on_delete=models.CASCADE)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    text = models.TextField(_("text"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.created_at:%Y-%m-%d %H:%M}"

    def reason_labels(self) -> list[str]:
        """What raised the priority of the case when it was opened, in words."""
        return [str(PRIORITY_REASONS.get(key, key)) for key in self.data.get("reasons", [])]

    def change(self) -> str:
        """ "Nuevo → En curso" for status and priority events, in the active language."""
        choices = {"status": Case.Status.choices, "priority": Priority.choices}.get(self.kind)
        if choices is None or not self.data:
            return ""
        names = dict(choices)
        old, new = self.data.get("old", ""), self.data.get("new", "")
        return f"{names.get(old, old)} → {names.get(new, new)}"


class Notification(OutboxEntry):
    """An email to a person or a customer, kept until it has been handed to the mail server."""

    class Kind(models.TextChoices):
        CASE_ASSIGNED = "case_assigned", _("Case assigned")
        RULE = "rule", _("Rule notification")
        REMINDER = "reminder", _("SLA reminder")
        ESCALATION = "escalation", _("Escalation")
        THANK_YOU = "thank_you", _("Thank-you to the customer")
        APOLOGY = "apology", _("Apology to the customer")
        DIGEST = "digest", _("Daily digest")
        RECOVERY = "recovery", _("Recovery survey")
        CUSTOMER_CONTACT = "customer_contact", _("Message to the customer from a case")
        RECOGNITION = "recognition", _("A customer's praise of an employee")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    to_email = models.EmailField(pgettext_lazy("email recipient", "to"))
    subject = models.CharField(_("subject"), max_length=250)
    body = models.TextField(_("message"))
    # Makes each logical message unique, so that reprocessing never sends it twice.
    dedupe_key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    case = models.ForeignKey(
        Case, null=True, blank=True, related_name="notifications", on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("email notification")
        verbose_name_plural = _("email notifications")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.to_email}: {self.subject}"


class WebhookDelivery(OutboxEntry):
    """One event POSTed to a webhook; the body is kept byte-for-byte so retries sign the same."""

    webhook = models.ForeignKey(Webhook, related_name="deliveries", on_delete=models.CASCADE)
    event = models.CharField(_("event"), max_length=60)
    body = models.TextField(_("body"))
    last_status_code = models.PositiveSmallIntegerField(_("last HTTP status"), null=True)
    dedupe_key = models.CharField(max_length=200, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.event} → {self.webhook}"


class RecoveryInvitation(models.Model):
    """The "have we solved your problem?" question sent after a case is closed."""

    case = models.OneToOneField(Case, related_name="recovery", on_delete=models.CASCADE)
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    resolved = models.BooleanField(_("problem solved"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(_("likelihood to recommend (0–10)"), null=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("recovery survey")
        verbose_name_plural = _("recovery surveys")

    def __str__(self) -> str:
        return f"{self.case}"
