"""Per-client rate limits counted in Django's default cache, which every server process shares
(a database table, or Redis when REDIS_URL is set; both count atomically), so N processes allow
the limit once between them, not N times. Rates read like ``"30/m"``; ``"off"`` disables one."""

from __future__ import annotations

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str, setting: str = "A rate") -> tuple[int, int] | None:
    """ "30/m" → (30, 60); "off", "none", "0" or "" → None (no limit)."""
    rate = rate.strip().lower()
    if rate in ("", "off", "none", "0"):
        return None
    count, _, period = rate.partition("/")
    try:
        return int(count), PERIODS[period[:1] or "m"]
    except (ValueError, KeyError):
        raise ImproperlyConfigured(
            f"{setting} must look like 30/m (per s, m, h or d), got {rate!r}"
        ) from None


def over_limit(scope: str, ident: str, rate: str, setting: str = "A rate") -> bool:
    """Count one request of ``ident`` and tell whether it exceeds ``rate``.

    The window opens with the first request and lasts the whole period, so a burst is never
    split across two windows.
    """
    parsed = parse_rate(rate, setting)
    if parsed is None:
        return False
    limit, seconds = parsed
    key = f"pulso:rl:{scope}:{ident}"
    if cache.add(key, 1, timeout=seconds):
        return limit < 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        count = 1
    return count > limit
