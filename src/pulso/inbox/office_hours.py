"""Office hours: when a person can answer. Outside them the assistant promises a callback.

``settings.PULSO_INBOX_OFFICE_HOURS`` reads like ``"1-5 09:00-18:00"``: ISO weekdays (1 is
Monday) and local hours (``TIME_ZONE``); ``"always"`` means someone is always there.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

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


def add_working_time(start: datetime, duration: timedelta) -> datetime:
    """The moment ``duration`` of office time after ``start``: plain time when "always", or
    when the window is empty (a deadline must exist even if nobody is ever in)."""
    hours = parse(getattr(settings, "PULSO_INBOX_OFFICE_HOURS", "always"))
    if hours is None or duration <= timedelta(0) or hours[1] >= hours[2]:
        return start + duration
    days, opens, closes = hours
    zone = timezone.get_current_timezone()
    local = timezone.localtime(start)
    left = duration
    for _day in range(800):  # bounded: a deadline of up to ~100 office weeks
        day_open = datetime.combine(local.date(), opens, tzinfo=zone)
        day_close = datetime.combine(local.date(), closes, tzinfo=zone)
        if local.isoweekday() in days and local < day_close:
            begin = max(local, day_open)
            if begin + left <= day_close:
                return begin + left
            left -= day_close - begin
        local = datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=zone)
    return start + duration  # pragma: no cover - every day range has a weekday
