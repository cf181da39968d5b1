"""Office hours: when a person can answer. Outside them the assistant promises a callback.

``settings.PULSO_INBOX_OFFICE_HOURS`` reads like ``"1-5 09:00-18:00"``: ISO weekdays (1 is
Monday) and local hours (``TIME_ZONE``); ``"always"`` means someone is always there.
"""

from __future__ import annotations

import re
from datetime import datetime, time

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

_SPEC = re.compile(r"^\s*([1-7])-([1-7])\s+(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})\s*$")


def parse(spec: str) -> tuple[range, time, time] | None:
    """``"1-5 09:00-18:00"`` → (weekdays 1..5, 09:00, 18:00); ``"always"`` → None."""
    if spec.strip().lower() in ("always", "24x7", ""):
        return None
    match = _SPEC.match(spec)
    if not match:
        raise ImproperlyConfigured(
            f"PULSO_INBOX_OFFICE_HOURS must look like 1-5 09:00-18:00, got {spec!r}"
        )
    first, last, h1, m1, h2, m2 = (int(g) for g in match.groups())
    return range(first, last + 1), time(h1, m1), time(h2, m2)


def is_open(moment: datetime | None = None) -> bool:
    """Is someone in the office at ``moment`` (now by default)?"""
    hours = parse(getattr(settings, "PULSO_INBOX_OFFICE_HOURS", "always"))
    if hours is None:
        return True
    days, opens, closes = hours
    local = timezone.localtime(moment or timezone.now())
    return local.isoweekday() in days and opens <= local.time() < closes
