"""The daily digest emailed to case owners and unit managers: cases due, new negative comments."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pulso.accounts.models import Role
from pulso.core.access import AnyUser
from pulso.feedback.models import Feedback
from pulso.lib.scores import DETRACTOR_MAX
from pulso.loop import notifications
from pulso.loop.models import Case, Notification
from pulso.loop.rules import COMPLETE

MAX_COMMENTS = 10


@dataclass
class Digest:
    user: AnyUser
    cases_due: list[Case] = field(default_factory=list)
    negative_comments: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.cases_due and not self.negative_comments


def recipients() -> list[Any]:
    """Owners of open cases and unit managers, each once."""
    owners = Case.objects.open().exclude(owner=None).values("owner_id")
    managers = Q(memberships__role=Role.UNIT_MANAGER)
    user_model = get_user_model()
    return list(
        user_model.objects.filter(Q(pk__in=owners) | managers, is_active=True)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def _negative_comments(user: AnyUser, since: datetime) -> list[str]:
    negative = Q(analysis__sentiment="negative") | Q(nps__lte=DETRACTOR_MAX)
    return list(
        Feedback.objects.visible_to(user)
        .with_text()
        .filter(COMPLETE, negative, received_at__gte=since)
        .order_by("-received_at")
        .values_list("text", flat=True)[:MAX_COMMENTS]
    )


def build_digest(user: User, now: datetime) -> Digest:
    manages = user.memberships.filter(role=Role.UNIT_MANAGER).exists()
    cases = Case.objects.open().filter(resolution_due__lte=now + timedelta(days=1))
    scope = cases.visible_to(user) if manages else cases.filter(owner=user)
    comments = _negative_comments(user, now - timedelta(days=1)) if manages else []
    return Digest(
        user=user,
        cases_due=list(scope.select_related("unit").order_by("resolution_due")[:50]),
        negative_comments=comments,
    )


def send_daily_digests(now: datetime | None = None) -> int:
    """Queue today's digest for everyone with something to read; at most one per person a day."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    queued = 0
    for user in recipients():
        digest = build_digest(user, now)
        if digest.is_empty:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Pulso: your cases and comments for %(day)s") % {"day": f"{today:%d/%m/%Y}"}
            context = {"digest": digest, "base_url": settings.PULSO_BASE_URL.rstrip("/")}
            body = render_to_string("loop/email/digest.txt", context)
        key = f"digest:{user.pk}:{today.isoformat()}"
        if notifications.queue_email(Notification.Kind.DIGEST, user.email, subject, body, key):
            queued += 1
    return queued
