"""Per-IP limits on the chat widget's public endpoints, counted in Django's shared cache so that
every server process counts together. Rates read like ``"30/m"``; ``"off"`` disables one."""

from __future__ import annotations

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int] | None:
    rate = rate.strip().lower()
    if rate in ("", "off", "none"):
        return None
    count, _, period = rate.partition("/")
    try:
        return int(count), PERIODS[period[:1] or "m"]
    except (ValueError, KeyError):
        raise ImproperlyConfigured(f"A rate must look like 30/m, got {rate!r}") from None


def over_limit(scope: str, ident: str, rate: str) -> bool:
    """Count one request of ``ident`` and tell whether it goes past ``rate``."""
    parsed = parse_rate(rate)
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
