"""Raising alerts: one row per alert (never twice), an email to each allowed subscriber."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from pulso.accounts.models import OrgUnit
from pulso.accounts.privacy import PersonalData
from pulso.alerts.crisis import CrisisSpike
from pulso.alerts.detection import TouchpointDrop
from pulso.alerts.models import Alert, AlertKind, AlertSubscription, Delivery
from pulso.core import access
from pulso.core.access import User
from pulso.core.audit import record_event
from pulso.feedback.models import Feedback
from pulso.journeys.models import Channel
from pulso.lib.drops import Drop
from pulso.loop.notifications import queue_email

VIEW_ACTION = "metrics.view_counts"


def subscribers(kind: str, unit: OrgUnit, word: str | None = None) -> list[AlertSubscription]:
    """Active subscriptions covering ``unit`` whose person may see its figures."""
    subs = AlertSubscription.objects.filter(kind=kind, is_active=True).select_related(
        "user", "unit"
    )
    return [
        s
        for s in subs
        if s.covers(unit)
        and s.user.is_active
        and access.can(s.user, VIEW_ACTION, unit)
        and (word is None or word in s.watched_words())
    ]


def _create(**fields: Any) -> Alert | None:
    try:
        with transaction.atomic():
            return Alert.objects.create(**fields)
    except IntegrityError:  # raised before: the job ran again
        return None


def do_raise_drop_alert(unit: OrgUnit, day: date, drop: Drop) -> Alert | None:
    """Record a significant NPS drop of ``unit`` and email its subscribers."""
    detail = {
        "nps_now": drop.nps_now, "nps_before": drop.nps_before, "n_now": drop.n_now,
        "n_before": drop.n_before, "window_days": drop.window, "p_value": drop.p_value,
    }  # fmt: skip
    with transaction.atomic():
        alert = _create(
            kind=AlertKind.DROP, unit=unit, day=day, detail=detail,
            title=f"NPS {unit.name}: {drop.nps_before:+.1f} → {drop.nps_now:+.1f}",
            dedupe_key=f"drop:{unit.pk}:{day.isoformat()}",
        )  # fmt: skip
        if alert is not None:
            audit_and_notify(alert, subscribers(AlertKind.DROP, unit))
    return alert


def do_raise_touchpoint_drop_alert(found: TouchpointDrop) -> Alert | None:
    """Record a significant NPS drop of a touchpoint (all units' answers) and email the
    subscribers of its owner unit."""
    drop, touchpoint = found.drop, found.touchpoint
    detail = {
        "nps_now": drop.nps_now, "nps_before": drop.nps_before, "n_now": drop.n_now,
        "n_before": drop.n_before, "window_days": drop.window, "p_value": drop.p_value,
        "touchpoint": touchpoint.name, "touchpoint_id": touchpoint.pk,
    }  # fmt: skip
    with transaction.atomic():
        alert = _create(
            kind=AlertKind.DROP, unit=found.unit, day=found.day, detail=detail,
            title=f"NPS {touchpoint.name}: {drop.nps_before:+.1f} → {drop.nps_now:+.1f}",
            dedupe_key=f"drop:touchpoint:{touchpoint.pk}:{found.day.isoformat()}",
        )  # fmt: skip
        if alert is not None:
            audit_and_notify(alert, subscribers(AlertKind.DROP, found.unit))
    return alert


def do_raise_spike_alert(found: CrisisSpike) -> Alert | None:
    """Record a spike of negative comments on a topic (or of a channel's contacts) and email
    the subscribers of its unit."""
    spike = found.spike
    detail: dict[str, Any] = {
        "count": spike.count, "expected": spike.expected, "p_value": spike.p_value,
        "topic": found.topic.name_es if found.topic else "", "channel": found.channel,
        "topic_id": found.topic.pk if found.topic else None,
    }  # fmt: skip
    what = found.topic.name_es if found.topic else found.channel_label
    key = f"topic:{found.topic.pk}" if found.topic else f"channel:{found.channel}"
    with transaction.atomic():
        alert = _create(
            kind=AlertKind.SPIKE, unit=found.unit, day=found.day, detail=detail,
            title=f"{what} · {found.unit.name}: {spike.count} ({spike.expected:.1f})",
            dedupe_key=f"spike:{found.unit.pk}:{key}:{found.day.isoformat()}",
        )  # fmt: skip
        if alert is not None:
            audit_and_notify(alert, subscribers(AlertKind.SPIKE, found.unit))
    return alert


def do_raise_word_alert(feedback: Feedback, words: list[str]) -> Alert | None:
    """Record a comment holding watched words and email the subscribers watching them."""
    unit = feedback.org_unit
    assert unit is not None
    with transaction.atomic():
        alert = _create(
            kind=AlertKind.WORD, unit=unit, feedback=feedback,
            day=timezone.localdate(feedback.received_at),
            title=f"{', '.join(words)} · {unit.name}", detail={"words": words},
            dedupe_key=f"word:{feedback.pk}",
        )  # fmt: skip
        if alert is not None:
            subs = {s.pk: s for w in words for s in subscribers(AlertKind.WORD, unit, w)}
            audit_and_notify(alert, list(subs.values()))
    return alert


def audit_and_notify(alert: Alert, subs: list[AlertSubscription]) -> int:
    record_event("alerts.raise", alert, kind=alert.kind, unit=alert.unit_id)
    sent = 0
    for sub in subs:
        if sub.delivery != Delivery.NOW:
            continue  # the daily digest will list it
        with override(settings.LANGUAGE_CODE):  # people have no language of their own yet
            subject, body = message(alert, sub.user)
        key = f"alert:{alert.pk}:{sub.user.pk}"
        sent += queue_email("alert", sub.user.email, subject, body, dedupe_key=key) is not None
    return sent


def comment_for(alert: Alert, user: User) -> str:
    """The alert's comment as ``user`` may read it (personal details masked unless allowed)."""
    text = alert.feedback.text if alert.feedback else ""
    return PersonalData(user).text(text, unit_id=alert.unit_id)


def message(alert: Alert, user: User) -> tuple[str, str]:
    """Subject and body in the active language, for ``user``."""
    d = alert.detail
    if alert.kind == AlertKind.DROP and d.get("touchpoint"):
        return touchpoint_drop_message(alert)
    if alert.kind == AlertKind.DROP:
        subject = _("Alert: NPS of %(unit)s dropped") % {"unit": alert.unit.name}
        body = _(
            "NPS of %(unit)s in the last %(days)s days: %(now).1f (%(n_now)s answers), "
            "against %(before).1f (%(n_before)s answers) on the same weekdays of the previous "
            "weeks. The drop is significant (p = %(p).4f)."
        ) % {
            "unit": alert.unit.name, "days": d["window_days"], "now": d["nps_now"],
            "n_now": d["n_now"], "before": d["nps_before"], "n_before": d["n_before"],
            "p": d["p_value"],
        }  # fmt: skip
        return subject, body
    if alert.kind == AlertKind.SPIKE:
        return spike_message(alert)
    subject = _("Alert: watched words in %(unit)s") % {"unit": alert.unit.name}
    text = comment_for(alert, user)
    body = _("Watched words (%(words)s) in a comment of %(unit)s:") % {
        "words": ", ".join(d.get("words", [])),
        "unit": alert.unit.name,
    }
    return subject, f"{body}\n\n{text}"


def touchpoint_drop_message(alert: Alert) -> tuple[str, str]:
    """Subject and body of a touchpoint's NPS drop, in the active language."""
    d = alert.detail
    subject = _("Alert: NPS at %(touchpoint)s dropped") % {"touchpoint": d["touchpoint"]}
    body = _(
        "NPS at %(touchpoint)s, all units together, in the last %(days)s days: %(now).1f "
        "(%(n_now)s answers), against %(before).1f (%(n_before)s answers) on the same weekdays "
        "of the previous weeks. The drop is significant (p = %(p).2g)."
    ) % {
        "touchpoint": d["touchpoint"], "days": d["window_days"], "now": d["nps_now"],
        "n_now": d["n_now"], "before": d["nps_before"], "n_before": d["n_before"],
        "p": d["p_value"],
    }  # fmt: skip
    return subject, body


def spike_message(alert: Alert) -> tuple[str, str]:
    """Subject and body of a crisis alert, in the active language."""
    d = alert.detail
    figures = {
        "unit": alert.unit.name, "day": alert.day.isoformat(), "count": d["count"],
        "expected": d["expected"], "p": d["p_value"], "topic": d["topic"],
        "channel": dict(Channel.choices).get(d["channel"], d["channel"]),
    }  # fmt: skip
    if d["topic"]:
        subject = _("Crisis alert: %(topic)s in %(unit)s") % figures
        body = (
            _(
                "Comments of %(unit)s on %(day)s that were negative about %(topic)s: %(count)s, "
                "against %(expected).1f expected from the same weekdays of the previous weeks "
                "(p = %(p).2g)."
            )
            % figures
        )
    else:
        subject = _("Crisis alert: feedback by %(channel)s") % figures
        body = (
            _(
                "Feedback received by %(channel)s on %(day)s: %(count)s, against %(expected).1f "
                "expected from the same weekdays of the previous weeks (p = %(p).2g)."
            )
            % figures
        )
    return subject, body


def do_subscribe_to_alerts(
    user: User,
    unit: OrgUnit,
    kind: str,
    words: str = "",
    is_active: bool = True,
    delivery: str = Delivery.NOW,
) -> AlertSubscription:
    """Create or change the person's subscription to one kind of alert of one unit."""
    fields = {"words": words, "is_active": is_active, "delivery": delivery}
    sub, _created = AlertSubscription.objects.update_or_create(
        user=user, unit=unit, kind=kind, defaults=fields
    )
    record_event("alerts.subscribe", sub, actor=user, active=is_active)
    return sub


def alerts_for(user: User, limit: int = 50) -> list[Alert]:
    """The in-app list: recent alerts of the units the person subscribed to and may see."""
    subs = list(AlertSubscription.objects.filter(user=user, is_active=True).select_related("unit"))
    if not subs:
        return []
    recent = Alert.objects.select_related("unit", "feedback").order_by("-created_at")[:500]
    mine = [
        a for a in recent if any(s.wants(a) for s in subs) and access.can(user, VIEW_ACTION, a.unit)
    ]
    for alert in mine[:limit]:
        alert.comment = comment_for(alert, user)  # type: ignore[attr-defined]
    return mine[:limit]


def do_send_alert_digest(sub: AlertSubscription, since: datetime, now: datetime) -> bool:
    """One email listing the alerts raised for a digest subscriber since ``since``."""
    raised = Alert.objects.filter(created_at__gte=since, created_at__lt=now).select_related(
        "unit", "feedback"
    )
    mine = [a for a in raised if sub.wants(a) and access.can(sub.user, VIEW_ACTION, a.unit)]
    if not mine:
        return False
    with override(settings.LANGUAGE_CODE):
        subject = ngettext(
            "Pulso: %(count)s alert of %(unit)s", "Pulso: %(count)s alerts of %(unit)s", len(mine)
        ) % {
            "count": len(mine),
            "unit": sub.unit.name,
        }
        body = "\n\n".join("\n".join(message(alert, sub.user)) for alert in mine)
    key = f"alert-digest:{sub.pk}:{now.date().isoformat()}"
    return queue_email("alert", sub.user.email, subject, body, dedupe_key=key) is not None
