"""The bodies of the closed loop's periodic jobs (see :mod:`pulso.loop.scheduler`)."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q

from pulso.loop import actions, digest, notifications, rules, sla, webhooks
from pulso.loop.models import Case

logger = logging.getLogger(__name__)

# Functions of other apps that the daily job calls when they exist (they are optional).
TEXT_ANALYSIS = [
    "pulso.textanalytics.actions.do_analyse_pending",
    "pulso.textanalytics.actions.analyse_pending",
]
SURVEY_REMINDERS = ["pulso.surveys.distribution.tasks.send_due_reminders"]


def lookback() -> timedelta:
    return timedelta(hours=int(getattr(settings, "PULSO_LOOP_LOOKBACK_HOURS", 48)))


def optional_function(paths: list[str]) -> Callable[..., Any] | None:
    """The first of ``paths`` that can be imported, or None when that app has not got it."""
    for path in paths:
        module_path, _dot, name = path.rpartition(".")
        try:
            module = importlib.import_module(module_path)
        except ModuleNotFoundError as exc:
            if exc.name and module_path.startswith(exc.name):
                continue  # the module itself is absent, not one of its imports
            raise
        function = getattr(module, name, None)
        if function is not None:
            return getattr(function, "call", function)  # a django-tasks Task runs in-process
    return None


def process_feedback(now: datetime) -> int:
    """Apply the rules to recent feedback (idempotent; picks up where a killed run stopped)."""
    return rules.process_recent_feedback(since=now - lookback(), now=now)


def monitor_slas(now: datetime) -> dict[str, int]:
    """Remind owners before deadlines; escalate overdue cases one level at a time."""
    counts = {"reminders": 0, "escalations": 0}
    soon = now + timedelta(days=2)
    near = Q(first_contacted_at__isnull=True, first_contact_due__lte=soon) | Q(
        resolution_due__lte=soon
    )
    for case in Case.objects.open().filter(near).select_related("unit", "owner"):
        for deadline in sla.reminders_due(case, now):
            actions.do_remind_case_owner(case, deadline, now)
            counts["reminders"] += 1
        if sla.escalation_due(case, now):
            chain = sla.escalation_chain(case.unit)
            if case.escalation_level < len(chain):
                actions.do_escalate_case(case, chain[case.escalation_level], now)
                counts["escalations"] += 1
    return counts


def retry_deliveries(now: datetime) -> dict[str, int]:
    return {"emails": notifications.send_due(now), "webhooks": webhooks.deliver_due(now)}


def daily(now: datetime) -> dict[str, Any]:
    """Analyse the day's comments, apply the rules, send survey reminders and the digests."""
    summary: dict[str, Any] = {}
    analyse = optional_function(TEXT_ANALYSIS)
    if analyse is not None:
        summary["analysed"] = analyse()
    else:
        logger.info("Text analytics not installed: rules run on scores and keywords only")
    summary["rules_applied"] = process_feedback(now)
    reminders = optional_function(SURVEY_REMINDERS)
    if reminders is not None:
        summary["survey_reminders"] = reminders(now)
    summary["sla"] = monitor_slas(now)
    summary["digests"] = digest.send_daily_digests(now)
    return {
        key: value if isinstance(value, int | dict) else str(value)
        for key, value in summary.items()
    }
